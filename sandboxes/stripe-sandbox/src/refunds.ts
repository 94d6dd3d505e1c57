import { invalidRequest, noSuchResource } from './errors.ts';
import { newId, nowSeconds } from './ids.ts';
import { snapshot, type OperationContext } from './context.ts';
import { mergeMetadata, optionalAmount, optionalMetadata, optionalString, type Params } from './params.ts';
import type { Charge, Refund, RefundStatus } from './state.ts';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

/** The succeeded charge a refund request points at, by `charge` or by `payment_intent`. */
function chargeToRefund(ctx: OperationContext, params: Params): Charge {
  const chargeId = optionalString(params, 'charge');
  const intentId = optionalString(params, 'payment_intent');
  if (chargeId === undefined && intentId === undefined) {
    throw invalidRequest(
      'One of the following params should be provided for this request: payment_intent or charge.',
    );
  }
  if (chargeId !== undefined) {
    const charge = ctx.state.charges.get(chargeId);
    if (!charge) throw noSuchResource('charge', chargeId, 'charge');
    if (charge.status !== 'succeeded') {
      throw invalidRequest(
        `Charge ${chargeId} has not succeeded and cannot be refunded.`,
        'charge_not_refundable',
        'charge',
      );
    }
    return charge;
  }
  const intent = ctx.state.paymentIntents.get(intentId!);
  if (!intent) throw noSuchResource('payment_intent', intentId!, 'payment_intent');
  const charge = intent.latest_charge ? ctx.state.charges.get(intent.latest_charge) : undefined;
  if (intent.status !== 'succeeded' || !charge || charge.status !== 'succeeded') {
    throw invalidRequest(
      `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
      'charge_not_refundable',
      'payment_intent',
    );
  }
  return charge;
}

/**
 * POST /v1/refunds. A card refund usually succeeds at once, but may stay `pending` and fail later
 * (a closed card account): the next `refundsToHold` refunds stay pending until
 * POST /_sandbox/refunds/:id settles them. A pending refund already counts in the charge's
 * amount_refunded; a failed or canceled one is given back.
 */
export function createRefund(ctx: OperationContext, params: Params): Refund {
  const charge = chargeToRefund(ctx, params);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(
      `Charge ${charge.id} has already been refunded.`,
      'charge_already_refunded',
      'charge',
    );
  }
  const amount = optionalAmount(params, 'amount') ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      'amount_too_large',
      'amount',
    );
  }
  const reason = optionalString(params, 'reason') ?? null;
  if (reason !== null && !REASONS.includes(reason)) {
    throw invalidRequest(`Invalid reason: ${reason}`, 'parameter_invalid_string', 'reason');
  }
  const held = ctx.state.refundsToHold > 0;
  if (held) ctx.state.refundsToHold -= 1;
  const refund: Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    metadata: mergeMetadata({}, optionalMetadata(params) ?? {}),
    payment_intent: charge.payment_intent,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: held ? 'pending' : 'succeeded',
    transfer_reversal: null,
  };
  ctx.state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  ctx.emit('refund.created', snapshot(refund), charge.payment_intent);
  ctx.emit('charge.refunded', snapshot(charge), charge.payment_intent);
  return refund;
}

export type RefundOutcome = Extract<RefundStatus, 'succeeded' | 'failed' | 'canceled'>;

/** Ends a pending refund the way the card network answered, with the events Stripe sends. */
export function settleRefund(ctx: OperationContext, refund: Refund, outcome: RefundOutcome): Refund {
  if (refund.status !== 'pending' && refund.status !== 'requires_action') {
    throw invalidRequest(`Refund ${refund.id} is ${refund.status}; only a pending refund can be settled.`);
  }
  refund.status = outcome;
  if (outcome !== 'succeeded') {
    const charge = ctx.state.charges.get(refund.charge)!;
    charge.amount_refunded -= refund.amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    if (outcome === 'failed') refund.failure_reason = 'expired_or_canceled_card';
  }
  ctx.emit('refund.updated', snapshot(refund), refund.payment_intent);
  if (outcome === 'failed') ctx.emit('refund.failed', snapshot(refund), refund.payment_intent);
  ctx.emit('charge.refund.updated', snapshot(refund), refund.payment_intent);
  return refund;
}

/** GET /v1/refunds filters: a charge's or a PaymentIntent's refunds. */
export function refundsMatching(ctx: OperationContext, params: Params): Refund[] {
  const chargeId = optionalString(params, 'charge');
  const intentId = optionalString(params, 'payment_intent');
  return [...ctx.state.refunds.values()].filter(
    (refund) =>
      (chargeId === undefined || refund.charge === chargeId) &&
      (intentId === undefined || refund.payment_intent === intentId),
  );
}

export function getRefund(ctx: OperationContext, id: string): Refund {
  const refund = ctx.state.refunds.get(id);
  if (!refund) throw noSuchResource('refund', id, 'id');
  return refund;
}
