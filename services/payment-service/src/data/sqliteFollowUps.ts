import type { SqliteDatabase } from '@shop/shared';
import type { FollowUp, FollowUpStep, FollowUpStore } from './paymentStore.ts';

/** Queues steps for a payment; a step already queued stays as it is (one row per payment and step). */
export function queueFollowUps(db: SqliteDatabase, paymentId: string, steps: FollowUpStep[]): void {
  const insert = db.prepare(
    `INSERT INTO follow_ups (payment_id, step, next_attempt_at, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (payment_id, step) DO NOTHING`,
  );
  const at = new Date().toISOString();
  for (const step of steps) insert.run(paymentId, step, Date.now(), at);
}

export function sqliteFollowUps(db: SqliteDatabase): FollowUpStore {
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as FollowUp[];
  return {
    due: (now, limit) =>
      all(
        `SELECT * FROM follow_ups WHERE state = 'pending' AND next_attempt_at <= ?
         ORDER BY next_attempt_at, id LIMIT ?`,
        now,
        limit,
      ),
    forPayment: (paymentId) => all('SELECT * FROM follow_ups WHERE payment_id = ? ORDER BY id', paymentId),
    claim: (id, now, leaseUntil) =>
      db
        .prepare(
          `UPDATE follow_ups SET next_attempt_at = ?
           WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?`,
        )
        .run(leaseUntil, id, now).changes === 1,
    complete: (id) => {
      db.prepare(
        `UPDATE follow_ups SET state = 'done', attempts = attempts + 1, last_error = NULL, done_at = ?
         WHERE id = ?`,
      ).run(new Date().toISOString(), id);
    },
    retryLater: (id, error, at) => {
      db.prepare(
        'UPDATE follow_ups SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
      ).run(error, at, id);
    },
    block: (id, reason) => {
      db.prepare(
        `UPDATE follow_ups SET state = 'blocked', attempts = attempts + 1, last_error = ? WHERE id = ?`,
      ).run(reason, id);
    },
    postpone: (id, at) => {
      db.prepare('UPDATE follow_ups SET next_attempt_at = ? WHERE id = ?').run(at, id);
    },
  };
}
