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

/** A mail an order owes: the request is kept until the notification-service accepted it. */
export interface OwedMail {
  order_id: string;
  user_id: string;
  type: 'order_created';
  state: 'owed' | 'done' | 'given_up';
  /** Tries made so far. */
  attempts: number;
  /** Epoch ms: when the worker may try it (again); while a try is running, when that try's lease ends. */
  next_attempt_at: number;
  last_error: string | null;
  /** Epoch ms. */
  created_at: number;
  finished_at: number | null;
}

/** The order_created mail requests orders owe (see OrderStore.create). */
export interface OwedMails {
  /** Owed rows whose next_attempt_at has come, the longest waiting first. */
  due(now: number, limit: number): OwedMail[];
  /** Takes these rows, those still due, for one try until `leaseUntil` (one transaction); answers the ones taken. */
  claim(orderIds: string[], now: number, leaseUntil: number): string[];
  /** The notification-service accepted these orders' requests (one transaction). */
  done(orderIds: string[]): void;
  /** The try failed: another one at `at`. */
  retryLater(orderId: string, error: string, at: number): void;
  /** No further tries: refused for good, or owed too long. */
  giveUp(orderId: string, reason: string): void;
  find(orderId: string): OwedMail | undefined;
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
  /**
   * Inserts a Pending order, its first history entry (null -> Pending) and its owed order_created
   * mail request in one transaction: if the order exists, so does the request. The request is first
   * due at `mailDueAt` (the creator tries it at once and holds it until then).
   */
  create(order: NewOrder, actor: string, mailDueAt: number): Order;
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
  /** The mail requests orders owe, in the same database: a request commits with its order. */
  owedMails: OwedMails;
  /** Idempotency-Key answers, in the same database: a key commits with the order it created. */
  idempotencyKeys: IdempotencyKeys;
  /** Throws unless the database answers. */
  ping(): void;
  close(): void;
}
