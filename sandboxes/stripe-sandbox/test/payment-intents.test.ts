import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { caught, control, withSandbox } from './helpers.ts';

describe('payment intents through the real Stripe SDK', () => {
  it('when created and confirmed with pm_card_visa, the intent succeeds with a charge and the metadata kept', () =>
    withSandbox(async (_sandbox, stripe) => {
      const created = await stripe.paymentIntents.create({
        amount: 2599,
        currency: 'EUR',
        metadata: { order_id: 'ord_1' },
        description: 'Order ord_1',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      });
      expect(created).toMatchObject({
        object: 'payment_intent',
        status: 'requires_payment_method',
        amount: 2599,
        currency: 'eur',
        livemode: false,
        latest_charge: null,
        capture_method: 'automatic',
      });
      expect(created.id).toMatch(/^pi_/);
      expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));

      const paid = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
      expect(paid).toMatchObject({
        status: 'succeeded',
        amount_received: 2599,
        payment_method: 'pm_card_visa',
      });
      expect(paid.latest_charge).toMatch(/^ch_/);
      const fetched = await stripe.paymentIntents.retrieve(created.id);
      expect(fetched).toMatchObject({
        status: 'succeeded',
        metadata: { order_id: 'ord_1' },
        description: 'Order ord_1',
      });
    }));

  it('when created with pm_card_mastercard and confirm=true, it succeeds in one call', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        payment_method: 'pm_card_mastercard',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      expect(intent.status).toBe('succeeded');
    }));

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    // Stripe sends a decline_code with card_declined only; the SDK turns a missing one into ''.
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', ''],
  ])(
    'when the card is %s, confirm answers 402 %s/%s and the intent can be paid again',
    (paymentMethod, code, declineCode) =>
      withSandbox(async (_sandbox, stripe) => {
        const intent = await stripe.paymentIntents.create({
          amount: 1500,
          currency: 'usd',
          allowed_payment_method_types: ['card'],
        });
        const error = await caught(
          stripe.paymentIntents.confirm(intent.id, { payment_method: paymentMethod }),
        );
        expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
        expect(error).toMatchObject({
          statusCode: 402,
          type: 'StripeCardError',
          code,
          decline_code: declineCode,
        });
        expect((error.payment_intent as Stripe.PaymentIntent).id).toBe(intent.id);

        const failed = await stripe.paymentIntents.retrieve(intent.id);
        expect(failed.status).toBe('requires_payment_method');
        expect(failed.last_payment_error).toMatchObject({ type: 'card_error', code });
        expect(failed.last_payment_error?.decline_code).toBe(declineCode || undefined);

        const paid = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
        expect(paid).toMatchObject({ status: 'succeeded', last_payment_error: null });
      }),
  );

  it('when the payment method is unknown, the SDK gets 400 resource_missing and no intent is created', () =>
    withSandbox(async (sandbox, stripe) => {
      const error = await caught(
        stripe.paymentIntents.create({
          amount: 100,
          currency: 'usd',
          payment_method: 'pm_nope',
          confirm: true,
          allowed_payment_method_types: ['card'],
        }),
      );
      expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method' });
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body.count).toBe(0);
    }));

  it.each([
    [{ amount: 0, currency: 'usd', allowed_payment_method_types: ['card'] }, 'amount'],
    [{ amount: 100_000_000, currency: 'usd', allowed_payment_method_types: ['card'] }, 'amount'],
    [{ amount: 12.5, currency: 'usd', allowed_payment_method_types: ['card'] }, 'amount'],
    [{ amount: 100, currency: 'dollars' }, 'currency'],
  ])('when the parameters are invalid (%o), create answers 400 naming %s', (params, param) =>
    withSandbox(async (_sandbox, stripe) => {
      const error = await caught(stripe.paymentIntents.create(params as Stripe.PaymentIntentCreateParams));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, param });
    }),
  );

  it('when the intent does not exist, retrieve answers 404 resource_missing', () =>
    withSandbox(async (_sandbox, stripe) => {
      const error = await caught(stripe.paymentIntents.retrieve('pi_missing'));
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    }));

  it('when the API key is missing or not a test key, the API answers 401 in Stripe shape', () =>
    withSandbox(async (sandbox) => {
      const missing = await fetch(`${sandbox.url}/v1/payment_intents`);
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { error: { type: string } }).error.type).toBe(
        'invalid_request_error',
      );
      const live = new Stripe('sk_live_abc', { host: '127.0.0.1', port: sandbox.port, protocol: 'http' });
      const error = await caught(live.paymentIntents.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    }));

  it('when an unpaid intent is canceled it becomes canceled, and a paid one cannot be canceled', () =>
    withSandbox(async (_sandbox, stripe) => {
      const open = await stripe.paymentIntents.create({
        amount: 700,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      const canceled = await stripe.paymentIntents.cancel(open.id, { cancellation_reason: 'abandoned' });
      expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
      expect(canceled.canceled_at).toEqual(expect.any(Number));
      const again = await caught(stripe.paymentIntents.confirm(open.id, { payment_method: 'pm_card_visa' }));
      expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });

      const paid = await stripe.paymentIntents.create({
        amount: 700,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      const error = await caught(stripe.paymentIntents.cancel(paid.id));
      expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    }));

  it('when listing with auto-pagination, every intent comes back newest first', () =>
    withSandbox(async (_sandbox, stripe) => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1)
        ids.push(
          (
            await stripe.paymentIntents.create({
              amount: 100 + i,
              currency: 'usd',
              allowed_payment_method_types: ['card'],
            })
          ).id,
        );
      const listed = await stripe.paymentIntents.list({ limit: 2 }).autoPagingToArray({ limit: 10 });
      expect(listed.map((intent) => intent.id)).toEqual([...ids].reverse());
    }));
});
