import { invalidRequest, noSuchResource } from './errors.ts';
import { newId, nowSeconds } from './ids.ts';
import { snapshot, type OperationContext } from './context.ts';
import { mergeMetadata, optionalAmount, optionalMetadata, optionalString, type Params } from './params.ts';
import type { Charge, Refund } from './state.ts';

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

/** POST /v1/refunds: refunds happen at once in the sandbox (status succeeded) and emit charge.refunded. */
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
  const refund: Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    metadata: mergeMetadata({}, optionalMetadata(params) ?? {}),
    payment_intent: charge.payment_intent,
    reason,
    status: 'succeeded',
  };
  ctx.state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  ctx.emit('charge.refunded', snapshot(charge), charge.payment_intent);
  return refund;
}

export function getRefund(ctx: OperationContext, id: string): Refund {
  const refund = ctx.state.refunds.get(id);
  if (!refund) throw noSuchResource('refund', id, 'id');
  return refund;
}
