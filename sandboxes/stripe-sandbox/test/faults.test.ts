import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { startStripeSandbox } from '../src/index.ts';
import { caught, control, faultsUsedUp, startReceiver, stripeFor, waitFor, withSandbox } from './helpers.ts';

const params = {
  amount: 5000,
  currency: 'usd',
  payment_method: 'pm_card_visa',
  confirm: true,
  allowed_payment_method_types: ['card'],
};

describe('fault injection', () => {
  it("when an 'error' fault hits before the operation, the SDK gets a 500 api_error and no intent exists", () =>
    withSandbox(async (sandbox, stripe) => {
      const added = await control(sandbox, 'POST', '/_sandbox/faults', {
        mode: 'error',
        match: 'POST /v1/payment_intents',
      });
      expect(added.status).toBe(201);
      const error = await caught(stripe.paymentIntents.create(params));
      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(error.statusCode).toBe(500);
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body.count).toBe(0);
      // count defaults to 1: the next call goes through
      expect((await stripe.paymentIntents.create(params)).status).toBe('succeeded');
    }));

  it("when an 'error' fault hits after the charge, a retry with the same key replays the success and only one charge exists", () =>
    withSandbox(async (sandbox, stripe) => {
      await control(sandbox, 'POST', '/_sandbox/faults', {
        mode: 'error',
        when: 'after',
        match: '/v1/payment_intents',
      });
      const lost = await caught(stripe.paymentIntents.create(params, { idempotencyKey: 'pay-order-7' }));
      expect(lost.statusCode).toBe(500);
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body).toMatchObject({
        count: 1,
        succeeded_count: 1,
      });

      const retried = await stripe.paymentIntents.create(params, { idempotencyKey: 'pay-order-7' });
      expect(retried.status).toBe('succeeded');
      expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body).toMatchObject({
        count: 1,
        succeeded_count: 1,
      });
    }));

  it("when the SDK retries by itself after an 'error' fault after the charge, it receives the replay of that charge", () =>
    withSandbox(async (sandbox) => {
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'error', when: 'after', match: '/confirm' });
      const stripe = stripeFor(sandbox, { maxNetworkRetries: 2 });
      const intent = await stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      const paid = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
      expect(paid.status).toBe('succeeded');
      expect(paid.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(sandbox.state.charges.size).toBe(1);
    }));

  it("when a 'timeout' fault holds the request, the SDK's timeout fires and close() still ends the hung socket", async () => {
    const sandbox = await startStripeSandbox();
    try {
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'timeout' });
      const impatient = stripeFor(sandbox, { timeout: 300 });
      const error = await caught(impatient.paymentIntents.create(params));
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(sandbox.state.paymentIntents.size).toBe(0);
      // A second request that hangs while we close: close() must not wait for it.
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'timeout' });
      const hanging = fetch(`${sandbox.url}/v1/payment_intents`, {
        headers: { authorization: 'Bearer sk_test_x' },
      });
      await waitFor(() => faultsUsedUp(sandbox));
      await sandbox.close();
      await expect(hanging).rejects.toThrow();
    } finally {
      await sandbox.close();
    }
  });

  it("when a 'timeout' fault hits after the charge, the SDK's own retry with its key gets the replayed success", () =>
    withSandbox(async (sandbox) => {
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'timeout', when: 'after' });
      const stripe = stripeFor(sandbox, { timeout: 300, maxNetworkRetries: 1 });
      const intent = await stripe.paymentIntents.create(params);
      expect(intent.status).toBe('succeeded');
      expect(intent.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(sandbox.state.paymentIntents.size).toBe(1);
    }));

  it("when a 'slow' fault is set, the answer comes late but unchanged, and faults can be listed and cleared", () =>
    withSandbox(async (sandbox, stripe) => {
      await control(sandbox, 'POST', '/_sandbox/faults', {
        mode: 'slow',
        delay_ms: 50,
        count: 2,
        match: 'GET ',
      });
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'error', match: '/refunds' });
      expect((await control(sandbox, 'GET', '/_sandbox/faults')).body.data).toHaveLength(2);
      const intent = await stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      expect((await stripe.paymentIntents.retrieve(intent.id)).id).toBe(intent.id);
      const remaining = (await control(sandbox, 'GET', '/_sandbox/faults')).body.data as {
        remaining: number;
      }[];
      expect(remaining.map((fault) => fault.remaining)).toEqual([1, 1]);
      await control(sandbox, 'DELETE', '/_sandbox/faults');
      expect((await control(sandbox, 'GET', '/_sandbox/faults')).body.data).toEqual([]);
    }));

  it('when a fault body is invalid, the control endpoint answers 400 naming the field', () =>
    withSandbox(async (sandbox) => {
      const response = await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'explode' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { param: 'mode' } });
    }));

  it('when the sandbox is reset, intents, events and faults are gone', () =>
    withSandbox(async (sandbox, stripe) => {
      await stripe.paymentIntents.create(params);
      await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'error' });
      expect((await control(sandbox, 'POST', '/_sandbox/reset')).status).toBe(200);
      expect((await control(sandbox, 'GET', '/_sandbox/payment_intents')).body.count).toBe(0);
      expect((await control(sandbox, 'GET', '/_sandbox/events')).body.count).toBe(0);
      expect((await stripe.paymentIntents.create(params)).status).toBe('succeeded');
    }));

  it('when faults are added, each gets the next id, and a used-up fault leaves the list while the others stay armed', () =>
    withSandbox(async (sandbox, stripe) => {
      const first = await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'error', match: '/refunds' });
      const second = await control(sandbox, 'POST', '/_sandbox/faults', { mode: 'error', match: 'GET ' });
      expect([first.body.id, second.body.id]).toEqual([1, 2]);

      const intent = await stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      expect((await caught(stripe.paymentIntents.retrieve(intent.id))).statusCode).toBe(500);
      const left = (await control(sandbox, 'GET', '/_sandbox/faults')).body.data as { id: number }[];
      expect(left.map((fault) => fault.id)).toEqual([1]);
      expect((await stripe.paymentIntents.retrieve(intent.id)).id).toBe(intent.id);
    }));

  it('when the sandbox closes while a webhook waits for its next retry, the wait ends and the delivery is marked failed', async () => {
    const receiver = await startReceiver([500]);
    try {
      const sandbox = await startStripeSandbox({ webhookUrl: receiver.url, webhookRetryDelaysMs: [60_000] });
      try {
        await stripeFor(sandbox).paymentIntents.create(params);
        await waitFor(() => sandbox.state.events[0]?.delivery.attempts.length === 1);
      } finally {
        await sandbox.close();
      }
      const record = await waitFor(() => {
        const found = sandbox.state.events[0];
        return found?.delivery.state === 'failed' && found;
      });
      expect(record.delivery.attempts).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
