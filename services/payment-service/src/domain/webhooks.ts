import type Stripe from 'stripe';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import type { FollowUpRunner } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents } from './paymentEvents.ts';
import type { Refunds } from './refunds.ts';
import { CONFIRM_KEY_PREFIX, type Intents } from './stripeIntents.ts';

/** Events about the payment's refund; their object is a Refund (charge.refunded's is the Charge). */
const REFUND_EVENTS = ['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated'];

export type EventOutcome = 'processed' | 'duplicate' | 'ignored';

export interface WebhookDeps {
  store: PaymentStore;
  intents: Intents;
  refunds: Refunds;
  followUps: FollowUpRunner;
  events: PaymentEvents;
  locks: KeyedLock;
}

/**
 * Handles Stripe's events (already verified by their signature) once each: events already handled
 * are acknowledged and skipped, and the state applied is never older than what is recorded, whatever
 * order the events come in. Throws when Stripe's current state cannot be read, so Stripe delivers
 * the event again later.
 */
export function createWebhookHandler({ store, intents, refunds, followUps, events, locks }: WebhookDeps) {
  /** Our payment an event is about: by intent id, or by the metadata we set (if the id was never saved). */
  function paymentOf(event: Stripe.Event): PaymentRecord | undefined {
    if (event.type.startsWith('payment_intent.')) {
      const intent = event.data.object as Stripe.PaymentIntent;
      const byIntent = store.getPaymentByIntent(intent.id);
      if (byIntent) return byIntent;
      const byMetadata = intent.metadata?.payment_id
        ? store.getPayment(intent.metadata.payment_id)
        : undefined;
      const matches =
        byMetadata?.order_id === intent.metadata?.order_id && byMetadata?.payment_intent_id === null;
      return matches ? byMetadata : undefined;
    }
    if (event.type === 'charge.refunded' || REFUND_EVENTS.includes(event.type)) {
      const object = event.data.object as Stripe.Charge | Stripe.Refund;
      const intentId =
        typeof object.payment_intent === 'string' ? object.payment_intent : object.payment_intent?.id;
      return intentId ? store.getPaymentByIntent(intentId) : undefined;
    }
    return undefined;
  }

  /** An intent carrying a payment's id that is not the payment's own: a second one, canceled. */
  function strayOf(event: Stripe.Event): PaymentRecord | undefined {
    if (!event.type.startsWith('payment_intent.')) return undefined;
    const intent = event.data.object as Stripe.PaymentIntent;
    const payment = intent.metadata?.payment_id ? store.getPayment(intent.metadata.payment_id) : undefined;
    return payment?.payment_intent_id && payment.payment_intent_id !== intent.id ? payment : undefined;
  }

  async function apply(payment: PaymentRecord, event: Stripe.Event): Promise<void> {
    if (event.type === 'charge.refunded' || REFUND_EVENTS.includes(event.type)) {
      // A refund may still be pending, and a pending one may fail: Stripe's refund list decides.
      // The refund may arrive before the success it undoes: learn that first.
      const current =
        payment.status !== 'succeeded' && payment.status !== 'refunded'
          ? await intents.refresh(payment)
          : payment;
      await refunds.syncRefund(current);
      return;
    }
    if (event.type === 'payment_intent.created') return; // ours, recorded when created
    const intent = event.data.object as Stripe.PaymentIntent;
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      // Final at Stripe: a signed snapshot in a final state cannot be overtaken by a later one.
      intents.record(payment.id, intent);
    } else {
      // An intermediate snapshot may be older than what we know: ask Stripe for the current state.
      await intents.refresh(payment);
    }
    // A decline of our own confirmation was counted when pay-order saw it; count the client's ones.
    const ours = event.request?.idempotency_key?.startsWith(CONFIRM_KEY_PREFIX) ?? false;
    if (event.type === 'payment_intent.payment_failed' && !ours) events.count('declined');
  }

  return async function handleStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
    if (store.webhookEvents.seen(event.id)) return 'duplicate';
    const stray = strayOf(event);
    if (stray) await intents.cancelStray(stray, event.data.object as Stripe.PaymentIntent);
    const payment = stray ? undefined : paymentOf(event);
    if (!payment) {
      store.webhookEvents.record(event.id, event.type);
      return 'ignored';
    }
    const outcome = await locks.run(payment.order_id, async (): Promise<EventOutcome> => {
      if (store.webhookEvents.seen(event.id)) return 'duplicate';
      await apply(store.getPayment(payment.id)!, event);
      store.webhookEvents.record(event.id, event.type);
      return 'processed';
    });
    const current = store.getPayment(payment.id)!;
    if (outcome === 'processed' && (current.status === 'succeeded' || current.status === 'refunded')) {
      followUps.kick(current.id);
    }
    return outcome;
  };
}
