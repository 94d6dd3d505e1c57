import { describe, expect, it } from 'vitest';
import { caught, control, stripeFor, withSandbox } from './helpers.ts';

/** What the payment-service sends: cards confirmed by the server, redirect-based methods left out. */
const serverConfirmed = {
  amount: 2000,
  currency: 'usd',
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const },
};

describe('the sandbox refuses what Stripe refuses', () => {
  it('when a parameter is unknown (top level or inside a hash), create answers 400 parameter_unknown naming it', () =>
    withSandbox(async (_sandbox, stripe) => {
      const top = await caught(stripe.paymentIntents.create({ ...serverConfirmed, colour: 'red' } as never));
      expect(top).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
      const nested = await caught(
        stripe.paymentIntents.create({
          ...serverConfirmed,
          automatic_payment_methods: { enabled: true, allow_redirect: 'never' },
        } as never),
      );
      expect(nested).toMatchObject({
        code: 'parameter_unknown',
        param: 'automatic_payment_methods[allow_redirect]',
      });
    }));

  it('when confirm=true comes without return_url and redirects are allowed (the default), it is refused; with allow_redirects=never it succeeds', () =>
    withSandbox(async (_sandbox, stripe) => {
      const refused = await caught(
        stripe.paymentIntents.create({
          amount: 2000,
          currency: 'usd',
          payment_method: 'pm_card_visa',
          confirm: true,
        }),
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.message).toMatch(/return_url/);
      const paid = await stripe.paymentIntents.create({
        ...serverConfirmed,
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      expect(paid.status).toBe('succeeded');
    }));

  it('when the amount is under the settlement currency minimum, or converts to less, create answers 400 amount_too_small', () =>
    withSandbox(async (_sandbox, stripe) => {
      const cents = await caught(stripe.paymentIntents.create({ ...serverConfirmed, amount: 49 }));
      expect(cents).toMatchObject({ statusCode: 400, code: 'amount_too_small', param: 'amount' });
      // ¥50 is the minimum for a JPY account, but converts to about $0.33 for a USD account.
      const yen = await caught(
        stripe.paymentIntents.create({ ...serverConfirmed, amount: 50, currency: 'jpy' }),
      );
      expect(yen).toMatchObject({ code: 'amount_too_small' });
      expect(yen.message).toMatch(/convert/);
      expect((await stripe.paymentIntents.create({ ...serverConfirmed, amount: 50 })).status).toBe(
        'requires_payment_method',
      );
    }));

  it('when the account settles in JPY, ¥50 is accepted', () =>
    withSandbox(
      async (_sandbox, stripe) => {
        const yen = await stripe.paymentIntents.create({ ...serverConfirmed, amount: 50, currency: 'jpy' });
        expect(yen.currency).toBe('jpy');
      },
      { settlementCurrency: 'jpy' },
    ));

  it('when the currency is not one Stripe supports, create answers 400 naming currency', () =>
    withSandbox(async (_sandbox, stripe) => {
      const error = await caught(stripe.paymentIntents.create({ ...serverConfirmed, currency: 'xyz' }));
      expect(error).toMatchObject({ statusCode: 400, param: 'currency' });
    }));

  it('when a server-side confirmation needs 3D Secure, next_action is use_stripe_sdk (redirect_to_url only with a return_url)', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create(serverConfirmed);
      const confirmed = await stripe.paymentIntents.confirm(intent.id, {
        payment_method: 'pm_card_authenticationRequired',
      });
      expect(confirmed.status).toBe('requires_action');
      expect(confirmed.next_action?.type).toBe('use_stripe_sdk');
      expect(confirmed.next_action?.redirect_to_url).toBeUndefined();
    }));
});

describe('idempotency keeps a 500 like Stripe', () => {
  it("when the endpoint fails with a 500 'during' execution, every retry with the key gets the saved 500 and nothing is created", () =>
    withSandbox(async (sandbox, stripe) => {
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'error', when: 'during' });
      const first = await caught(stripe.paymentIntents.create(serverConfirmed, { idempotencyKey: 'k-500' }));
      expect(first.statusCode).toBe(500);
      const retried = await caught(
        stripe.paymentIntents.create(serverConfirmed, { idempotencyKey: 'k-500' }),
      );
      expect(retried.statusCode).toBe(500);
      expect(retried.headers?.['idempotent-replayed']).toBe('true');
      expect(sandbox.state.paymentIntents.size).toBe(0);
      const fresh = await stripe.paymentIntents.create(serverConfirmed, { idempotencyKey: 'k-500-2' });
      expect(fresh.status).toBe('requires_payment_method');
    }));
});

describe('refunds that do not settle at once', () => {
  it('when a held refund fails, it is pending first, then refund.updated, refund.failed and charge.refund.updated tell, and the charge is unrefunded', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        ...serverConfirmed,
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      await control(sandbox, 'POST', '/_sandbox/refunds/hold', { count: 1 });
      const refund = await stripe.refunds.create({ payment_intent: intent.id });
      expect(refund.status).toBe('pending');
      expect((await stripe.refunds.list({ payment_intent: intent.id })).data.map((r) => r.id)).toEqual([
        refund.id,
      ]);

      const settled = await control(sandbox, 'POST', `/_sandbox/refunds/${refund.id}`, { status: 'failed' });
      expect(settled.body).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
      const types = sandbox.state.events.map((record) => record.event.type);
      expect(types.slice(-5)).toEqual([
        'refund.created',
        'charge.refunded',
        'refund.updated',
        'refund.failed',
        'charge.refund.updated',
      ]);
      const charge = await stripe.charges.retrieve(intent.latest_charge as string);
      expect(charge).toMatchObject({ amount_refunded: 0, refunded: false });
    }));

  it('when a PaymentIntent is searched by metadata, the intents carrying it come back', () =>
    withSandbox(async (sandbox, stripe) => {
      const mine = await stripe.paymentIntents.create({
        ...serverConfirmed,
        metadata: { payment_id: 'p-1' },
      });
      await stripe.paymentIntents.create({ ...serverConfirmed, metadata: { payment_id: 'p-2' } });
      const found = await stripeFor(sandbox).paymentIntents.search({ query: "metadata['payment_id']:'p-1'" });
      expect(found.data.map((intent) => intent.id)).toEqual([mine.id]);
    }));
});
