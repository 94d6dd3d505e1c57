import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Stripe from 'stripe';
import { createStripeSandbox, type StripeSandbox } from '../src/index.ts';
import {
  caught,
  control,
  faultsUsedUp,
  paramsMismatchMessage,
  stripeFor,
  waitFor,
  withSandbox,
} from './helpers.ts';

const params = {
  amount: 2000,
  currency: 'usd',
  payment_method: 'pm_card_visa',
  confirm: true,
  allowed_payment_method_types: ['card'],
};

// Stripe's documented limits (docs.stripe.com/idempotency): keys up to 255 characters, pruned after 24 hours.
const DAY_MS = 24 * 60 * 60 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

/** Like withSandbox, but hands over the app's core so a test can fill its key store in bulk. */
async function withCore(run: (sandbox: StripeSandbox, stripe: Stripe) => Promise<void>): Promise<void> {
  const sandbox = createStripeSandbox();
  const server = sandbox.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    await run(
      sandbox,
      new Stripe('sk_test_sandbox', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 }),
    );
  } finally {
    sandbox.shutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

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

  it('when the key is reused with different parameters, the SDK throws StripeIdempotencyError naming the key', () =>
    withSandbox(async (sandbox, stripe) => {
      await stripe.paymentIntents.create(params, { idempotencyKey: 'reused' });
      const error = await caught(
        stripe.paymentIntents.create({ ...params, amount: 2001 }, { idempotencyKey: 'reused' }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(error).toMatchObject({ statusCode: 400, rawType: 'idempotency_error', code: undefined });
      expect(error.message).toBe(paramsMismatchMessage('reused'));
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body.count).toBe(1);
    }));

  it('when the key is reused on another endpoint, it answers 400 idempotency_error naming both endpoints', () =>
    withSandbox(async (_sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create(
        { amount: 100, currency: 'usd', allowed_payment_method_types: ['card'] },
        { idempotencyKey: 'k-endpoint' },
      );
      const error = await caught(
        stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: 'k-endpoint' }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(error).toMatchObject({ statusCode: 400, code: undefined });
      expect(error.message).toBe(
        'Keys for idempotent requests can only be used for the same endpoint they were first used for ' +
          `('POST /v1/payment_intents' vs 'POST /v1/payment_intents/${intent.id}/cancel'). ` +
          "Try using a key other than 'k-endpoint' if you meant to execute a different request.",
      );
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

  it('when the first request with a key is still running, a second answers 409 idempotency_key_in_use and an SDK retry gets the replay', () =>
    withSandbox(async (sandbox, stripe) => {
      await control(sandbox, 'POST', '/_sandbox/faults', {
        mode: 'slow',
        delay_ms: 400,
        match: 'POST /v1/payment_intents',
      });
      const first = stripe.paymentIntents.create(params, { idempotencyKey: 'k-busy' });
      // The fault is used up once the first request is inside the sandbox, holding the key.
      await waitFor(() => faultsUsedUp(sandbox));

      const conflict = await caught(stripe.paymentIntents.create(params, { idempotencyKey: 'k-busy' }));
      expect(conflict).toMatchObject({
        statusCode: 409,
        rawType: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Idempotent Key (that probably means you ' +
          'submitted twice, and the other request is still going through): k-busy. Please try again later.',
      });

      const patient = stripeFor(sandbox, { maxNetworkRetries: 3 });
      const retried = await patient.paymentIntents.create(params, { idempotencyKey: 'k-busy' });
      expect(retried.id).toBe((await first).id);
      expect(sandbox.state.paymentIntents.size).toBe(1);
    }));

  it('when the same parameters come in another key order, they are the same request and the first answer is replayed', () =>
    withSandbox(async (sandbox, stripe) => {
      const first = await stripe.paymentIntents.create(
        { ...params, metadata: { order: 'o-1', attempt: '1' } },
        { idempotencyKey: 'k-order' },
      );
      const reordered = await stripe.paymentIntents.create(
        {
          allowed_payment_method_types: ['card'],
          metadata: { attempt: '1', order: 'o-1' },
          confirm: true,
          payment_method: 'pm_card_visa',
          currency: 'usd',
          amount: 2000,
        },
        { idempotencyKey: 'k-order' },
      );
      expect(reordered.id).toBe(first.id);
      expect(reordered.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(sandbox.state.paymentIntents.size).toBe(1);
    }));

  it('when a key has 255 characters it is used, and with 256 the request is refused with 400 and nothing runs', () =>
    withSandbox(async (sandbox, stripe) => {
      const longest = 'k'.repeat(255);
      const first = await stripe.paymentIntents.create(params, { idempotencyKey: longest });
      const replay = await stripe.paymentIntents.create(params, { idempotencyKey: longest });
      expect(replay.id).toBe(first.id);
      expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');

      const error = await caught(stripe.paymentIntents.create(params, { idempotencyKey: 'k'.repeat(256) }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({
        statusCode: 400,
        message: 'Idempotency keys can be at most 255 characters long.',
      });
      expect(sandbox.state.paymentIntents.size).toBe(1);
    }));

  it('when the sandbox is reset, its keys are forgotten and a key runs again with other parameters', () =>
    withSandbox(async (sandbox, stripe) => {
      await stripe.paymentIntents.create(params, { idempotencyKey: 'k-reset' });
      await control(sandbox, 'POST', '/_sandbox/reset');
      const again = await stripe.paymentIntents.create(
        { ...params, amount: 3000 },
        { idempotencyKey: 'k-reset' },
      );
      expect(again.amount).toBe(3000);
      expect(again.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    }));

  it('when a key is exactly 24 hours old it still holds, and a millisecond later it is pruned and runs again', () =>
    withSandbox(async (sandbox, stripe) => {
      // Only Date is faked: the idempotency store reads Date.now; sockets and timers stay real.
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = new Date('2026-03-01T10:00:00Z').getTime();
      vi.setSystemTime(start);
      await stripe.paymentIntents.create(params, { idempotencyKey: 'k-ttl' });

      vi.setSystemTime(start + DAY_MS);
      const held = await caught(
        stripe.paymentIntents.create({ ...params, amount: 2500 }, { idempotencyKey: 'k-ttl' }),
      );
      expect(held.message).toBe(paramsMismatchMessage('k-ttl'));

      vi.setSystemTime(start + DAY_MS + 1);
      const again = await stripe.paymentIntents.create(
        { ...params, amount: 2500 },
        { idempotencyKey: 'k-ttl' },
      );
      expect(again.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(sandbox.state.paymentIntents.size).toBe(2);
    }));

  it('when the first request of a key is still running, the key is not pruned, even when older than 24 hours', () =>
    withSandbox(async (sandbox, stripe) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = new Date('2026-03-01T10:00:00Z').getTime();
      vi.setSystemTime(start);
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'slow', delay_ms: 300 });
      const first = stripe.paymentIntents.create(params, { idempotencyKey: 'k-long-running' });
      await waitFor(() => faultsUsedUp(sandbox));

      vi.setSystemTime(start + DAY_MS + 1);
      const conflict = await caught(
        stripe.paymentIntents.create(params, { idempotencyKey: 'k-long-running' }),
      );
      expect(conflict.statusCode).toBe(409);
      await first;
      expect(sandbox.state.paymentIntents.size).toBe(1);
    }));

  it('when 50,000 keys are held, the oldest is kept; once more arrive it is pruned first and runs again', () =>
    withCore(async (sandbox, stripe) => {
      await stripe.paymentIntents.create(params, { idempotencyKey: 'k-oldest' });
      // Another account's saved keys, put straight into the store: 50,000 HTTP requests take too long.
      const saved = { status: 200, body: '{}', requestId: 'req_filler' };
      const request = { endpoint: 'POST /v1/payment_intents', params: '{}' };
      for (let i = 1; i < 50_000; i += 1) {
        const begun = sandbox.core.idempotency.begin('Bearer sk_test_other', `filler-${i}`, request);
        if (begun.kind === 'execute') begun.finish(saved);
      }

      const kept = await caught(
        stripe.paymentIntents.create({ ...params, amount: 2500 }, { idempotencyKey: 'k-oldest' }),
      );
      expect(kept.message).toBe(paramsMismatchMessage('k-oldest'));

      // 50,000 held: the next new key makes 50,001, so the request after it prunes the oldest.
      await stripe.paymentIntents.create(params, { idempotencyKey: 'k-newest' });
      const again = await stripe.paymentIntents.create(
        { ...params, amount: 2500 },
        { idempotencyKey: 'k-oldest' },
      );
      expect(again.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(sandbox.state.paymentIntents.size).toBe(3);
    }));
});
