import type { IdempotencyKeys } from '@shop/shared';
import type { Order, OrderStatus } from '@shop/shared/contracts';

/** A new order: the contract's shape without what the store fills in (status Pending, updated_at). */
export type NewOrder = Omit<Order, 'status' | 'updated_at'>;

export interface HistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  /** `user:<id>` or `service:<name>`. */
  actor: string;
  at: string;
}

export interface OrderPage {
  orders: Order[];
  /** `seq` to continue below, or null on the last page. */
  nextBefore: number | null;
}

export interface ListQuery {
  userId: string;
  status?: OrderStatus;
  /** Only orders with a smaller sequence number (older); none = from the newest. */
  before?: number;
  limit: number;
}

/** Everything the domain asks of the database; SQLite implements it, tests use it for real. */
export interface OrderStore {
  /** Inserts a Pending order and its first history entry (null -> Pending) in one transaction. */
  create(order: NewOrder, actor: string): Order;
  findById(id: string): Order | undefined;
  /** Newest first, by a strictly increasing sequence. */
  list(query: ListQuery): OrderPage;
  /**
   * Moves `id` from `from` to `to` only if it still is `from`, recording the move in the history,
   * atomically. Returns the changed order, or undefined when the condition did not hold.
   */
  move(id: string, from: OrderStatus, to: OrderStatus, actor: string, at: string): Order | undefined;
  /** Oldest first; empty when the order does not exist. */
  history(id: string): HistoryEntry[];
  /** Idempotency-Key answers, in the same database: a key commits with the order it created. */
  idempotencyKeys: IdempotencyKeys;
  /** Throws unless the database answers. */
  ping(): void;
  close(): void;
}
