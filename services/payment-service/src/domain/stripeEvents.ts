import type Stripe from 'stripe';
import type { PaymentRecord } from '../data/paymentStore.ts';
import type { PaymentsContext } from './context.ts';
import { applyIntent, CONFIRM_KEY_PREFIX, refreshIntent } from './intentSync.ts';

export type EventOutcome = 'processed' | 'duplicate' | 'ignored';

/** Our payment an event is about: by intent id, or by the metadata we set (if the id was never saved). */
function paymentOf(ctx: PaymentsContext, event: Stripe.Event): PaymentRecord | undefined {
  if (event.type.startsWith('payment_intent.')) {
    const intent = event.data.object as Stripe.PaymentIntent;
    const byIntent = ctx.store.getPaymentByIntent(intent.id);
    if (byIntent) return byIntent;
    const byMetadata = intent.metadata?.payment_id
      ? ctx.store.getPayment(intent.metadata.payment_id)
      : undefined;
    const matches =
      byMetadata?.order_id === intent.metadata?.order_id && byMetadata?.payment_intent_id === null;
    return matches ? byMetadata : undefined;
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    const intentId =
      typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    return intentId ? ctx.store.getPaymentByIntent(intentId) : undefined;
  }
  return undefined;
}

async function apply(ctx: PaymentsContext, payment: PaymentRecord, event: Stripe.Event): Promise<void> {
  if (event.type === 'charge.refunded') {
    // Refunds only grow, so the event's snapshot is safe to trust whatever order events arrive in.
    const charge = event.data.object as Stripe.Charge;
    if (!charge.refunded) return;
    // The refund may arrive before the success it undoes: learn that first.
    if (payment.status !== 'succeeded' && payment.status !== 'refunded') await refreshIntent(ctx, payment);
    if (ctx.store.markRefunded(payment.id).changed) {
      ctx.count('refunded');
      ctx.logger.info({ payment_id: payment.id }, 'payment refunded at Stripe');
    }
    return;
  }
  const intent = event.data.object as Stripe.PaymentIntent;
  if (intent.status === 'succeeded' || intent.status === 'canceled') {
    // Final at Stripe: a signed snapshot in a final state cannot be overtaken by a later one.
    applyIntent(ctx, payment.id, intent);
  } else {
    // An intermediate snapshot may be older than what we know: ask Stripe for the current state.
    await refreshIntent(ctx, payment);
  }
  // A decline of our own confirmation was counted when pay-order saw it; count the client's ones.
  const ours = event.request?.idempotency_key?.startsWith(CONFIRM_KEY_PREFIX) ?? false;
  if (event.type === 'payment_intent.payment_failed' && !ours) ctx.count('declined');
}

/**
 * Handles one verified Stripe event once: events already handled are acknowledged and skipped, and
 * the state applied is never older than what is recorded, whatever order the events come in.
 * Throws when Stripe's current state cannot be read, so Stripe delivers the event again later.
 */
export async function handleStripeEvent(ctx: PaymentsContext, event: Stripe.Event): Promise<EventOutcome> {
  if (ctx.store.webhookEvents.seen(event.id)) return 'duplicate';
  const payment = paymentOf(ctx, event);
  if (!payment) {
    ctx.store.webhookEvents.record(event.id, event.type);
    return 'ignored';
  }
  const outcome = await ctx.locks.run(payment.order_id, async (): Promise<EventOutcome> => {
    if (ctx.store.webhookEvents.seen(event.id)) return 'duplicate';
    await apply(ctx, ctx.store.getPayment(payment.id)!, event);
    ctx.store.webhookEvents.record(event.id, event.type);
    return 'processed';
  });
  const current = ctx.store.getPayment(payment.id)!;
  if (outcome === 'processed' && (current.status === 'succeeded' || current.status === 'refunded')) {
    ctx.followUps.kick(current.id);
  }
  return outcome;
}
