import type { OrderStatus } from '@shop/shared/contracts';

/**
 * The allowed moves, keyed by target: each status is reached from exactly one other, so a move is
 * one conditional UPDATE (`WHERE status = <the one source>`) and needs no read first.
 * The graph has no cycles, so an order enters each status at most once.
 */
const SOURCE_OF: Partial<Record<OrderStatus, OrderStatus>> = {
  Paid: 'Pending',
  Cancelled: 'Pending',
  Refunded: 'Paid',
};

/** The status an order must have to move to `to`, or undefined when no move leads there. */
export function sourceOf(to: OrderStatus): OrderStatus | undefined {
  return SOURCE_OF[to];
}

/** The moves from the initial status to `status`, in order (used to seed consistent history). */
export function movesTo(status: OrderStatus): Array<{ from: OrderStatus; to: OrderStatus }> {
  const moves: Array<{ from: OrderStatus; to: OrderStatus }> = [];
  for (let to = status, from = SOURCE_OF[to]; from; to = from, from = SOURCE_OF[to]) {
    moves.unshift({ from, to });
  }
  return moves;
}
