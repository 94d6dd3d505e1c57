import type Stripe from 'stripe';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import { stepsOwed, type FollowUpRunner } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents } from './paymentEvents.ts';
import { stripeCode } from './stripeErrors.ts';
import { CONFIRM_KEY_PREFIX, type Intents } from './stripeIntents.ts';
import { intentMismatch, refundMismatch } from './stripeProof.ts';

export type EventOutcome = 'processed' | 'duplicate' | 'ignored' | 'refused';

export interface WebhookDeps {
  store: PaymentStore;
  stripe: Stripe;
  intents: Intents;
  followUps: FollowUpRunner;
  events: PaymentEvents;
  locks: KeyedLock;
}

/**
 * Handles Stripe's events (already verified by their signature) once each: events already handled
 * are acknowledged and skipped. A signature proves only that someone holds the signing secret, so no
 * event is trusted as sent: the state applied is what Stripe answers when asked, and only when its
 * record is the payment's (`stripeProof.ts`); otherwise the event is refused and changes nothing.
 * Throws when Stripe's current state cannot be read, so Stripe delivers the event again later.
 */
export function createWebhookHandler({ store, stripe, intents, followUps, events, locks }: WebhookDeps) {
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
    if (event.type === 'charge.refunded') {
      const charge = event.data.object as Stripe.Charge;
      const intentId =
        typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
      return intentId ? store.getPaymentByIntent(intentId) : undefined;
    }
    return undefined;
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
   * Applies what Stripe itself holds, never the event's copy: the PaymentIntent (and for a refund its
   * charge) is fetched and must match the payment in id, amount, currency and metadata. Returns why
   * the event is refused, or undefined when it was applied.
   */
  async function apply(payment: PaymentRecord, event: Stripe.Event): Promise<string | undefined> {
    const claimed = event.data.object as Stripe.PaymentIntent | Stripe.Charge;
    const intentId = payment.payment_intent_id ?? (claimed as Stripe.PaymentIntent).id;
    const intent = await fetchIntent(intentId);
    if (!intent) return 'unknown_at_stripe';
    const mismatch = intentMismatch(payment, intent);
    if (mismatch) return mismatch;

    if (event.type === 'charge.refunded') {
      const chargeId =
        typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
      if (!chargeId) return 'charge';
      const refused = refundMismatch(payment, intent, await stripe.charges.retrieve(chargeId));
      if (refused) return refused;
      // The refund may arrive before the success it undoes: record that first.
      if (payment.status !== 'succeeded' && payment.status !== 'refunded') intents.record(payment.id, intent);
      if (store.markRefunded(payment.id, stepsOwed('refunded')).changed) {
        events.count('refunded');
        events.log.info({ payment_id: payment.id }, 'payment refunded at Stripe');
      }
      return undefined;
    }
    // Succeeded and canceled are final at Stripe: an event claiming one that Stripe does not hold is false.
    const claimedStatus = (claimed as Stripe.PaymentIntent).status;
    if ((claimedStatus === 'succeeded' || claimedStatus === 'canceled') && intent.status !== claimedStatus) {
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
    const payment = paymentOf(event);
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
