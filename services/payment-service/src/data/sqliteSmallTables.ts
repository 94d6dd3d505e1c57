import type { SqliteDatabase } from '@shop/shared';
import type { CardFailureStore, WebhookEventStore } from './paymentStore.ts';

export function sqliteWebhookEvents(db: SqliteDatabase): WebhookEventStore {
  const seen = db.prepare<[string]>('SELECT 1 FROM webhook_events WHERE id = ?');
  const record = db.prepare<[string, string, string]>(
    'INSERT INTO webhook_events (id, type, processed_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  return {
    seen: (eventId) => seen.get(eventId) !== undefined,
    record: (eventId, type) => {
      record.run(eventId, type, new Date().toISOString());
    },
  };
}

export function sqliteCardFailures(db: SqliteDatabase): CardFailureStore {
  const insert = db.prepare<[string, string, number, string | null, string | null]>(
    'INSERT INTO card_failures (order_id, user_id, at, code, decline_code) VALUES (?, ?, ?, ?, ?)',
  );
  // The n-th newest failure since `from`: while it exists, n failures fall in the window.
  const nthOfOrder = db.prepare<[string, number, number], { at: number }>(
    'SELECT at FROM card_failures WHERE order_id = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?',
  );
  const nthOfUser = db.prepare<[string, number, number], { at: number }>(
    'SELECT at FROM card_failures WHERE user_id = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM card_failures WHERE at <= ?');
  return {
    record: (failure) => {
      insert.run(failure.order_id, failure.user_id, failure.at, failure.code, failure.decline_code);
    },
    nthNewest: (by, id, from, n) => (by === 'order' ? nthOfOrder : nthOfUser).get(id, from, n - 1)?.at,
    purge: (before) => purge.run(before).changes,
  };
}
