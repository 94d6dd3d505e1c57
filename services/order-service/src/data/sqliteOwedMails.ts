import type { SqliteDatabase } from '@shop/shared';
import type { OwedMail, OwedMails } from './orderStore.ts';

/**
 * Records that an order owes a mail request. Called inside the transaction that creates the order,
 * so the order and the request commit together.
 */
export function owedMailQueue(
  db: SqliteDatabase,
): (mail: Pick<OwedMail, 'order_id' | 'user_id' | 'type'>, dueAt: number) => void {
  const insert = db.prepare<[string, string, string, number, number]>(
    `INSERT INTO order_mails (order_id, user_id, type, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)`,
  );
  return (mail, dueAt) => {
    insert.run(mail.order_id, mail.user_id, mail.type, dueAt, Date.now());
  };
}

// One order_created request per order: every statement names the row by its order.
export function sqliteOwedMails(db: SqliteDatabase): OwedMails {
  const due = db.prepare<[number, number], OwedMail>(
    `SELECT * FROM order_mails WHERE state = 'owed' AND next_attempt_at <= ?
     ORDER BY next_attempt_at LIMIT ?`,
  );
  const claim = db.prepare<[number, string, number]>(
    `UPDATE order_mails SET next_attempt_at = ?
     WHERE order_id = ? AND type = 'order_created' AND state = 'owed' AND next_attempt_at <= ?`,
  );
  const finish = db.prepare<[string, string | null, number, string]>(
    `UPDATE order_mails SET state = ?, attempts = attempts + 1, last_error = ?, finished_at = ?
     WHERE order_id = ? AND type = 'order_created' AND state = 'owed'`,
  );
  const retryLater = db.prepare<[string, number, string]>(
    `UPDATE order_mails SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
     WHERE order_id = ? AND type = 'order_created' AND state = 'owed'`,
  );
  const find = db.prepare<[string], OwedMail>(
    `SELECT * FROM order_mails WHERE order_id = ? AND type = 'order_created'`,
  );
  const claimAll = db.transaction((orderIds: string[], now: number, leaseUntil: number) =>
    orderIds.filter((orderId) => claim.run(leaseUntil, orderId, now).changes === 1),
  );
  const doneAll = db.transaction((orderIds: string[]) => {
    const at = Date.now();
    for (const orderId of orderIds) finish.run('done', null, at, orderId);
  });
  return {
    due: (now, limit) => due.all(now, limit),
    claim: (orderIds, now, leaseUntil) => claimAll.immediate(orderIds, now, leaseUntil),
    done: (orderIds) => doneAll.immediate(orderIds),
    retryLater: (orderId, error, at) => {
      retryLater.run(error, at, orderId);
    },
    giveUp: (orderId, reason) => {
      finish.run('given_up', reason, Date.now(), orderId);
    },
    find: (orderId) => find.get(orderId),
  };
}
