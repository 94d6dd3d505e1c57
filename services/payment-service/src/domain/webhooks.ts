import type Stripe from 'stripe';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import type { FollowUpRunner } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents } from './paymentEvents.ts';
import type { Refunds } from './refunds.ts';
import { stripeCode } from './stripeErrors.ts';
import { CONFIRM_KEY_PREFIX, FINAL_STATUSES, type Intents } from './stripeIntents.ts';
import { intentMismatch } from './stripeProof.ts';

/** Events about the payment's refund; their object is a Refund (charge.refunded's is the Charge). */
const REFUND_EVENTS = ['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated'];

export type EventOutcome = 'processed' | 'duplicate' | 'ignored' | 'refused';

export interface WebhookDeps {
  store: PaymentStore;
  stripe: Stripe;
  intents: Intents;
  refunds: Refunds;
  followUps: FollowUpRunner;
  events: PaymentEvents;
  locks: KeyedLock;
}

/**
 * Handles Stripe's events (already verified by their signature) once each: events already handled
 * are acknowledged and skipped. A signature proves only that someone holds the signing secret, so no
 * event is trusted as sent: the state applied is what Stripe answers when asked (the PaymentIntent,
 * the intent's refund list), and only when its record is the payment's (`stripeProof.ts`); otherwise
 * the event is refused and changes nothing. Asking also means the state applied is never older than
 * what is recorded, whatever order the events come in. Throws when Stripe cannot be read, so Stripe
 * delivers the event again later. The one event not checked is the echo of a final state already
 * recorded (nothing could change it).
 */
export function createWebhookHandler({
  store,
  stripe,
  intents,
  refunds,
  followUps,
  events,
  locks,
}: WebhookDeps) {
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

  /** An intent carrying a payment's id that is not the payment's own (a second one, to cancel). */
  function strayOf(event: Stripe.Event): PaymentRecord | undefined {
    if (!event.type.startsWith('payment_intent.')) return undefined;
    const intent = event.data.object as Stripe.PaymentIntent;
    const payment = intent.metadata?.payment_id ? store.getPayment(intent.metadata.payment_id) : undefined;
    return payment?.payment_intent_id && payment.payment_intent_id !== intent.id ? payment : undefined;
  }

  /** Stripe's PaymentIntent by id, or undefined when Stripe has no such intent (the event was made up). */
  async function fetchIntent(id: string): Promise<Stripe.PaymentIntent | undefined> {
    try {
      return await stripe.paymentIntents.retrieve(id);
    } catch (error) {
      if (stripeCode(error) === 'resource_missing') return undefined;
      throw error;
    }
  }

  /**
   * Applies what Stripe itself holds, never the event's copy: the PaymentIntent is fetched and must
   * match the payment in id, amount, currency and metadata; a refund's state comes from the intent's
   * refund list. Returns why the event is refused, or undefined when it was applied.
   */
  async function apply(payment: PaymentRecord, event: Stripe.Event): Promise<string | undefined> {
    if (event.type === 'payment_intent.created') return undefined; // ours, recorded when created
    const claimed = event.data.object as Stripe.PaymentIntent;
    // A final payment is never changed by an intent event (recordIntentState keeps it), so the echo of
    // what is already recorded (the succeeded event of pay-order's own confirmation) needs no Stripe
    // read: one request less per payment. An event claiming anything else is still checked below.
    if (
      event.type.startsWith('payment_intent.') &&
      FINAL_STATUSES.includes(payment.status) &&
      claimed.id === payment.payment_intent_id &&
      claimed.status === payment.status
    ) {
      return undefined;
    }
    const intent = await fetchIntent(payment.payment_intent_id ?? claimed.id);
    if (!intent) return 'unknown_at_stripe';
    const mismatch = intentMismatch(payment, intent);
    if (mismatch) return mismatch;

    if (event.type === 'charge.refunded' || REFUND_EVENTS.includes(event.type)) {
      // The refund may arrive before the success it undoes: record that first. A refund may still be
      // pending, and a pending one may fail: Stripe's refund list decides, not the event.
      const current =
        payment.status !== 'succeeded' && payment.status !== 'refunded'
          ? intents.record(payment.id, intent)
          : payment;
      const synced = await refunds.syncRefund(current);
      return synced.refund ? undefined : 'no_refund_at_stripe';
    }
    // Succeeded and canceled are final at Stripe: an event claiming one that Stripe does not hold is false.
    if (
      (claimed.status === 'succeeded' || claimed.status === 'canceled') &&
      intent.status !== claimed.status
    ) {
      return 'status';
    }
    intents.record(payment.id, intent);
    // A decline of our own confirmation was counted when pay-order saw it; count the client's ones.
    const ours = event.request?.idempotency_key?.startsWith(CONFIRM_KEY_PREFIX) ?? false;
    if (event.type === 'payment_intent.payment_failed' && !ours) {
      events.count('declined');
      const error = intent.last_payment_error;
      events.countDecline(error?.code ?? 'card_declined', error?.decline_code ?? null);
    }
    return undefined;
  }

  /**
   * A second intent of a payment (found late after a saved 500) is canceled, so an order never has two
   * live intents; only when Stripe's own copy of it names that payment, so a made-up event cannot
   * cancel someone else's intent.
   */
  async function cancelStray(payment: PaymentRecord, event: Stripe.Event): Promise<void> {
    const intent = await fetchIntent((event.data.object as Stripe.PaymentIntent).id);
    if (intent?.metadata?.payment_id === payment.id && intent.metadata.order_id === payment.order_id) {
      await intents.cancelStray(payment, intent);
    }
  }

  /** A refused event changes nothing and is not recorded as handled: Stripe's real one may still come. */
  function refuse(payment: PaymentRecord, event: Stripe.Event, reason: string): EventOutcome {
    events.countRefusedEvent(reason);
    events.log.error(
      {
        event_id: event.id,
        type: event.type,
        payment_id: payment.id,
        order_id: payment.order_id,
        mismatch: reason,
      },
      "webhook event refused: Stripe's own record does not match it (a forged event, or a leaked signing secret?)",
    );
    return 'refused';
  }

  return async function handleStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
    if (store.webhookEvents.seen(event.id)) return 'duplicate';
    const stray = strayOf(event);
    if (stray) await cancelStray(stray, event);
    const payment = stray ? undefined : paymentOf(event);
    if (!payment) {
      store.webhookEvents.record(event.id, event.type);
      return 'ignored';
    }
    const outcome = await locks.run(payment.order_id, async (): Promise<EventOutcome> => {
      if (store.webhookEvents.seen(event.id)) return 'duplicate';
      const current = store.getPayment(payment.id)!;
      const refusal = await apply(current, event);
      if (refusal) return refuse(current, event, refusal);
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
