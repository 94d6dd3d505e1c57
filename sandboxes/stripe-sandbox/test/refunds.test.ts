import { describe, expect, it } from 'vitest';
import { caught, withSandbox } from './helpers.ts';

describe('refunds', () => {
  it('when a paid intent is refunded in parts, each refund succeeds until the charge is fully refunded', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      const partial = await stripe.refunds.create({ payment_intent: intent.id, amount: 300 });
      expect(partial).toMatchObject({
        object: 'refund',
        amount: 300,
        status: 'succeeded',
        payment_intent: intent.id,
      });
      expect(partial.id).toMatch(/^re_/);
      const rest = await stripe.refunds.create({ charge: intent.latest_charge as string });
      expect(rest.amount).toBe(700);
      expect(await stripe.refunds.retrieve(partial.id)).toMatchObject({ id: partial.id, amount: 300 });
      const charge = await stripe.charges.retrieve(intent.latest_charge as string);
      expect(charge).toMatchObject({ amount_refunded: 1000, refunded: true });
      const more = await caught(stripe.refunds.create({ payment_intent: intent.id }));
      expect(more).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    }));

  it('when the refund is larger than what is left, it answers 400 amount_too_large naming amount', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      const error = await caught(stripe.refunds.create({ payment_intent: intent.id, amount: 1001 }));
      expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    }));

  it('when the intent has not succeeded, refunding it answers 400 and nothing is refunded', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      const error = await caught(stripe.refunds.create({ payment_intent: intent.id }));
      expect(error).toMatchObject({
        statusCode: 400,
        type: 'StripeInvalidRequestError',
        param: 'payment_intent',
      });
      expect(sandbox.state.refunds.size).toBe(0);
    }));

  it('when the refund names neither an intent nor a charge, it answers 400', () =>
    withSandbox(async (_sandbox, stripe) => {
      const error = await caught(stripe.refunds.create({ amount: 5 }));
      expect(error.statusCode).toBe(400);
    }));
});
