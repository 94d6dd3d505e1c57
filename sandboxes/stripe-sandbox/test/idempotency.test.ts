import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { caught, control, stripeFor, waitFor, withSandbox } from './helpers.ts';

const params = {
  amount: 2000,
  currency: 'usd',
  payment_method: 'pm_card_visa',
  confirm: true,
  allowed_payment_method_types: ['card'],
};

describe('idempotency keys', () => {
  it('when a request is repeated with the same key, the first response is replayed and no second charge happens', () =>
    withSandbox(async (sandbox, stripe) => {
      const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-1-attempt-1' });
      const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-1-attempt-1' });
      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(second.lastResponse.requestId).toBe(first.lastResponse.requestId);
      const { body } = await control(sandbox, 'GET', '/_sandbox/payment_intents');
      expect(body).toMatchObject({ count: 1, succeeded_count: 1 });
    }));

  it('when a declined request is repeated with the same key, the same 402 is replayed', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 900,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      const confirm = () =>
        stripe.paymentIntents.confirm(
          intent.id,
          { payment_method: 'pm_card_chargeDeclined' },
          { idempotencyKey: 'k-decline' },
        );
      const first = await caught(confirm());
      const replay = await caught(confirm());
      expect(replay).toMatchObject({ statusCode: 402, code: 'card_declined', requestId: first.requestId });
      expect(replay.headers?.['idempotent-replayed']).toBe('true');
    }));

  it('when the key is reused with different parameters, the SDK throws StripeIdempotencyError', () =>
    withSandbox(async (sandbox, stripe) => {
      await stripe.paymentIntents.create(params, { idempotencyKey: 'reused' });
      const error = await caught(
        stripe.paymentIntents.create({ ...params, amount: 2001 }, { idempotencyKey: 'reused' }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(error.statusCode).toBe(400);
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body.count).toBe(1);
    }));

  it('when the key is reused on another endpoint, it answers 400 idempotency_error', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create(
        { amount: 100, currency: 'usd', allowed_payment_method_types: ['card'] },
        { idempotencyKey: 'k-endpoint' },
      );
      const error = await caught(
        stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: 'k-endpoint' }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    }));

  it('when validation fails, nothing is saved under the key and a corrected retry with it runs', () =>
    withSandbox(async (_sandbox, stripe) => {
      const bad = await caught(
        stripe.paymentIntents.create(
          { amount: -1, currency: 'usd', allowed_payment_method_types: ['card'] },
          { idempotencyKey: 'k-fix' },
        ),
      );
      expect(bad.statusCode).toBe(400);
      const fixed = await stripe.paymentIntents.create(
        { amount: 50, currency: 'usd', allowed_payment_method_types: ['card'] },
        { idempotencyKey: 'k-fix' },
      );
      expect(fixed.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    }));

  it('when the first request with a key is still running, a second answers 409 and an SDK retry gets the replay', () =>
    withSandbox(async (sandbox, stripe) => {
      await control(sandbox, 'POST', '/_sandbox/faults', {
        mode: 'slow',
        delay_ms: 400,
        match: 'POST /v1/payment_intents',
      });
      const first = stripe.paymentIntents.create(params, { idempotencyKey: 'k-busy' });
      // The fault is used up once the first request is inside the sandbox, holding the key.
      await waitFor(
        async () => ((await control(sandbox, 'GET', '/_sandbox/faults')).body.data as unknown[]).length === 0,
      );

      const conflict = await caught(stripe.paymentIntents.create(params, { idempotencyKey: 'k-busy' }));
      expect(conflict.statusCode).toBe(409);
      expect(conflict.rawType).toBe('idempotency_error');

      const patient = stripeFor(sandbox, { maxNetworkRetries: 3 });
      const retried = await patient.paymentIntents.create(params, { idempotencyKey: 'k-busy' });
      expect(retried.id).toBe((await first).id);
      expect(sandbox.state.paymentIntents.size).toBe(1);
    }));
});
