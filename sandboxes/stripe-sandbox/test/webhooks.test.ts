import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { WEBHOOK_SECRET, control, startReceiver, waitFor, withSandbox } from './helpers.ts';
import type { EventRecord } from '../src/index.ts';

const verifier = new Stripe('sk_test_verifier');

function verify(received: { body: string; headers: Record<string, unknown> }): Stripe.Event {
  return verifier.webhooks.constructEvent(
    received.body,
    String(received.headers['stripe-signature']),
    WEBHOOK_SECRET,
  );
}

describe('webhook delivery', () => {
  it('when a payment succeeds, a signed payment_intent.succeeded reaches the endpoint and verifies with constructEvent', async () => {
    const receiver = await startReceiver();
    try {
      await withSandbox(
        async (_sandbox, stripe) => {
          const intent = await stripe.paymentIntents.create({
            amount: 1200,
            currency: 'usd',
            metadata: { order_id: 'ord_9' },
            payment_method: 'pm_card_visa',
            confirm: true,
            allowed_payment_method_types: ['card'],
          });
          const [delivery] = await waitFor(() => receiver.received.length >= 1 && receiver.received);
          const event = verify(delivery!);
          expect(event).toMatchObject({ object: 'event', type: 'payment_intent.succeeded', livemode: false });
          expect(event.id).toMatch(/^evt_/);
          expect(event.data.object).toMatchObject({
            id: intent.id,
            status: 'succeeded',
            metadata: { order_id: 'ord_9' },
          });
          expect(() =>
            verifier.webhooks.constructEvent(
              delivery!.body,
              String(delivery!.headers['stripe-signature']),
              'whsec_wrong',
            ),
          ).toThrow(Stripe.errors.StripeSignatureVerificationError);
        },
        { webhookUrl: receiver.url },
      );
    } finally {
      await receiver.close();
    }
  });

  it('when the endpoint answers 500 first, the event is retried and delivered, and the log shows both attempts', async () => {
    const receiver = await startReceiver([500]);
    try {
      await withSandbox(
        async (sandbox, stripe) => {
          const intent = await stripe.paymentIntents.create({
            amount: 300,
            currency: 'usd',
            allowed_payment_method_types: ['card'],
          });
          await stripe.paymentIntents.cancel(intent.id);
          await waitFor(() => receiver.received.length >= 2);
          const [first, second] = receiver.received.map(verify);
          expect(second!.id).toBe(first!.id);
          expect(second!.type).toBe('payment_intent.canceled');
          const { body } = await control(sandbox, 'GET', '/_sandbox/events?type=payment_intent.canceled');
          const [record] = body.data as EventRecord[];
          expect(record!.delivery.state).toBe('delivered');
          expect(record!.delivery.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
        },
        { webhookUrl: receiver.url, webhookRetryDelaysMs: [20, 20] },
      );
    } finally {
      await receiver.close();
    }
  });

  it('when the endpoint keeps failing, delivery stops after the configured retries and is marked failed', async () => {
    const receiver = await startReceiver([500, 502, 503, 500, 500]);
    try {
      await withSandbox(
        async (sandbox, stripe) => {
          await stripe.paymentIntents.create({
            amount: 300,
            currency: 'usd',
            payment_method: 'pm_card_visa',
            confirm: true,
            allowed_payment_method_types: ['card'],
          });
          const record = await waitFor(() => {
            const found = sandbox.state.events[0];
            return found?.delivery.state === 'failed' && found;
          });
          expect(record.delivery.attempts).toHaveLength(3);
          expect(receiver.received).toHaveLength(3);
        },
        { webhookUrl: receiver.url, webhookRetryDelaysMs: [10, 10] },
      );
    } finally {
      await receiver.close();
    }
  });

  it('when an earlier event is still being retried, later events of the same payment wait and arrive in order', async () => {
    const receiver = await startReceiver([500, 500]);
    try {
      await withSandbox(
        async (sandbox, stripe) => {
          const intent = await stripe.paymentIntents.create({
            amount: 800,
            currency: 'usd',
            payment_method: 'pm_card_authenticationRequired',
            confirm: true,
            allowed_payment_method_types: ['card'],
          });
          await fetch(`${sandbox.url}/confirm/${intent.id}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'authorize' }),
          });
          await stripe.refunds.create({ payment_intent: intent.id });
          await waitFor(() => receiver.received.length >= 6);
          const types = receiver.received.map((delivery) => verify(delivery).type);
          expect(types).toEqual([
            'payment_intent.requires_action',
            'payment_intent.requires_action',
            'payment_intent.requires_action',
            'payment_intent.succeeded',
            'refund.created',
            'charge.refunded',
          ]);
        },
        { webhookUrl: receiver.url, webhookRetryDelaysMs: [30, 30] },
      );
    } finally {
      await receiver.close();
    }
  });

  it('when a card is declined, payment_intent.payment_failed is sent with the last payment error', async () => {
    const receiver = await startReceiver();
    try {
      await withSandbox(async (sandbox, stripe) => {
        sandbox.setWebhookUrl(receiver.url);
        const intent = await stripe.paymentIntents.create({
          amount: 300,
          currency: 'usd',
          allowed_payment_method_types: ['card'],
        });
        await stripe.paymentIntents
          .confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' })
          .catch(() => undefined);
        const [delivery] = await waitFor(() => receiver.received.length >= 1 && receiver.received);
        const event = verify(delivery!);
        expect(event.type).toBe('payment_intent.payment_failed');
        const failed = event.data.object as Stripe.PaymentIntent;
        expect(failed.last_payment_error).toMatchObject({
          code: 'card_declined',
          decline_code: 'generic_decline',
        });
      });
    } finally {
      await receiver.close();
    }
  });

  it('when no endpoint is configured, events are still logged for /_sandbox/events and /v1/events', () =>
    withSandbox(async (sandbox, stripe) => {
      await stripe.paymentIntents.create({
        amount: 300,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      const { body } = await control(sandbox, 'GET', '/_sandbox/events');
      expect(body.count).toBe(1);
      expect((body.data as EventRecord[])[0]!.delivery.state).toBe('no_endpoint');
      const events = await stripe.events.list({ type: 'payment_intent.succeeded' });
      expect(events.data).toHaveLength(1);
    }));
});
