import { randomUUID } from 'node:crypto';
import { cacheStatements, openSqlite, pingSqlite, type SqliteDatabase } from '@shop/shared';
import type { PaymentStatus } from '@shop/shared/contracts';
import { MIGRATIONS } from './schema.ts';
import { sqliteFollowUps, queueFollowUps } from './sqliteFollowUps.ts';
import { sqliteIdempotency, sqliteWebhookEvents } from './sqliteSmallTables.ts';
import type { IntentState, PaymentRecord, PaymentStore, Transition } from './paymentStore.ts';

interface PaymentRow {
  id: string;
  order_id: string;
  user_id: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  payment_intent_id: string | null;
  client_secret: string | null;
  last_error_code: string | null;
  last_error_decline_code: string | null;
  last_error_message: string | null;
  attempt: number;
  attempt_payment_method: string | null;
  attempt_open: number;
  sync_after: number;
  sync_failures: number;
  created_at: string;
  updated_at: string;
}

const FINAL: readonly PaymentStatus[] = ['succeeded', 'refunded', 'canceled'];

function toRecord(row: PaymentRow): PaymentRecord {
  const { last_error_code, last_error_decline_code, last_error_message, attempt_open, ...rest } = row;
  return {
    ...rest,
    attempt_open: attempt_open === 1,
    last_error:
      last_error_message === null
        ? null
        : { code: last_error_code, decline_code: last_error_decline_code, message: last_error_message },
  };
}

/** Opens (creating or migrating) the payment-service database; `:memory:` works for tests. */
export function openPaymentStore(path: string): PaymentStore {
  // Queries are written inline below; each is compiled once, on first use.
  const db: SqliteDatabase = cacheStatements(openSqlite(path, MIGRATIONS));
  const now = () => new Date().toISOString();
  const row = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as PaymentRow | undefined;
  const getPayment = (id: string) => {
    const found = row('SELECT * FROM payments WHERE id = ?', id);
    return found && toRecord(found);
  };
  const mustGet = (id: string) => {
    const found = getPayment(id);
    if (!found) throw new Error(`payment ${id} does not exist`);
    return found;
  };

  const applyIntentState = db.transaction((id: string, state: IntentState): Transition => {
    const current = mustGet(id);
    if (FINAL.includes(current.status)) return { payment: current, changed: false };
    const final = FINAL.includes(state.status);
    db.prepare(
      `UPDATE payments SET status = ?, payment_intent_id = coalesce(payment_intent_id, ?), client_secret = ?,
         last_error_code = ?, last_error_decline_code = ?, last_error_message = ?,
         attempt_open = 0, sync_after = 0, sync_failures = 0, updated_at = ?
       WHERE id = ?`,
    ).run(
      state.status,
      state.payment_intent_id,
      final ? null : state.client_secret,
      state.last_error?.code ?? null,
      state.last_error?.decline_code ?? null,
      state.last_error?.message ?? null,
      now(),
      id,
    );
    if (state.status === 'succeeded') queueFollowUps(db, id, ['mark_paid', 'send_receipt']);
    return { payment: mustGet(id), changed: current.status !== state.status };
  });

  const markRefunded = db.transaction((id: string): Transition => {
    const current = mustGet(id);
    if (current.status !== 'succeeded') return { payment: current, changed: false };
    db.prepare(`UPDATE payments SET status = 'refunded', updated_at = ? WHERE id = ?`).run(now(), id);
    queueFollowUps(db, id, ['mark_refunded']);
    return { payment: mustGet(id), changed: true };
  });

  const markRefundedForCancelledOrder = db.transaction((id: string, reason: string): Transition => {
    const current = mustGet(id);
    if (current.status === 'succeeded') {
      db.prepare(`UPDATE payments SET status = 'refunded', updated_at = ? WHERE id = ?`).run(now(), id);
    }
    db.prepare(
      `UPDATE follow_ups SET state = 'done', last_error = ?, done_at = ? WHERE payment_id = ? AND state <> 'done'`,
    ).run(reason, now(), id);
    return { payment: mustGet(id), changed: current.status === 'succeeded' };
  });

  return {
    getPayment,
    getPaymentByOrder: (orderId) => {
      const found = row('SELECT * FROM payments WHERE order_id = ?', orderId);
      return found && toRecord(found);
    },
    getPaymentByIntent: (intentId) => {
      const found = row('SELECT * FROM payments WHERE payment_intent_id = ?', intentId);
      return found && toRecord(found);
    },
    createPayment: (input) => {
      const at = now();
      db.prepare(
        `INSERT INTO payments (id, order_id, user_id, amount, currency, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'requires_payment_method', ?, ?) ON CONFLICT (order_id) DO NOTHING`,
      ).run(randomUUID(), input.order_id, input.user_id, input.amount, input.currency, at, at);
      return toRecord(row('SELECT * FROM payments WHERE order_id = ?', input.order_id)!);
    },
    openAttempt: (id, paymentMethod) => {
      const updated = db
        .prepare(
          `UPDATE payments SET attempt = attempt + 1, attempt_payment_method = ?, attempt_open = 1, updated_at = ?
           WHERE id = ? RETURNING attempt`,
        )
        .get(paymentMethod, now(), id) as { attempt: number } | undefined;
      if (!updated) throw new Error(`payment ${id} does not exist`);
      return updated.attempt;
    },
    closeAttempt: (id) => {
      db.prepare('UPDATE payments SET attempt_open = 0, updated_at = ? WHERE id = ?').run(now(), id);
    },
    applyIntentState: (id, state) => applyIntentState.immediate(id, state),
    markRefunded: (id) => markRefunded.immediate(id),
    markRefundedForCancelledOrder: (id, reason) => markRefundedForCancelledOrder.immediate(id, reason),
    paymentsToSync: (at, limit) =>
      (
        db
          .prepare(
            `SELECT * FROM payments WHERE (attempt_open = 1 OR payment_intent_id IS NULL) AND sync_after <= ?
               AND status NOT IN ('succeeded', 'refunded', 'canceled') ORDER BY created_at LIMIT ?`,
          )
          .all(at, limit) as PaymentRow[]
      ).map(toRecord),
    unsettledPayments: (limit) =>
      (
        db
          .prepare(
            `SELECT * FROM payments WHERE status NOT IN ('succeeded', 'refunded', 'canceled')
             ORDER BY created_at DESC LIMIT ?`,
          )
          .all(limit) as PaymentRow[]
      ).map(toRecord),
    deferSync: (id, at) => {
      db.prepare('UPDATE payments SET sync_after = ?, sync_failures = sync_failures + 1 WHERE id = ?').run(
        at,
        id,
      );
    },
    followUps: sqliteFollowUps(db),
    webhookEvents: sqliteWebhookEvents(db),
    idempotency: sqliteIdempotency(db),
    ping: () => pingSqlite(db),
    close: () => db.close(),
  };
}
