import type { SqliteDatabase } from '@shop/shared';
import type { FollowUp, FollowUpStep, FollowUpStore } from './paymentStore.ts';

/**
 * Queues steps for a payment; a step already queued stays as it is (one row per payment and step).
 * Called inside the transaction that moves the payment, so the steps and the move commit together.
 */
export function followUpQueue(db: SqliteDatabase): (paymentId: string, steps: FollowUpStep[]) => void {
  const insert = db.prepare<[string, FollowUpStep, number, string]>(
    `INSERT INTO follow_ups (payment_id, step, next_attempt_at, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (payment_id, step) DO NOTHING`,
  );
  return (paymentId, steps) => {
    const at = new Date().toISOString();
    for (const step of steps) insert.run(paymentId, step, Date.now(), at);
  };
}

export function sqliteFollowUps(db: SqliteDatabase): FollowUpStore {
  const due = db.prepare<[number, number], FollowUp>(
    `SELECT * FROM follow_ups WHERE state = 'pending' AND next_attempt_at <= ?
     ORDER BY next_attempt_at, id LIMIT ?`,
  );
  const forPayment = db.prepare<[string], FollowUp>(
    'SELECT * FROM follow_ups WHERE payment_id = ? ORDER BY id',
  );
  const claim = db.prepare<[number, number, number]>(
    `UPDATE follow_ups SET next_attempt_at = ?
     WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?`,
  );
  const complete = db.prepare<[string, number]>(
    `UPDATE follow_ups SET state = 'done', attempts = attempts + 1, last_error = NULL, done_at = ?
     WHERE id = ?`,
  );
  const retryLater = db.prepare<[string, number, number]>(
    'UPDATE follow_ups SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
  );
  const block = db.prepare<[string, number]>(
    `UPDATE follow_ups SET state = 'blocked', attempts = attempts + 1, last_error = ? WHERE id = ?`,
  );
  const postpone = db.prepare<[number, number]>('UPDATE follow_ups SET next_attempt_at = ? WHERE id = ?');
  return {
    due: (now, limit) => due.all(now, limit),
    forPayment: (paymentId) => forPayment.all(paymentId),
    claim: (id, now, leaseUntil) => claim.run(leaseUntil, id, now).changes === 1,
    complete: (id) => {
      complete.run(new Date().toISOString(), id);
    },
    retryLater: (id, error, at) => {
      retryLater.run(error, at, id);
    },
    block: (id, reason) => {
      block.run(reason, id);
    },
    postpone: (id, at) => {
      postpone.run(at, id);
    },
  };
}
