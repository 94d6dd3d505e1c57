import type { SqliteDatabase } from '@shop/shared';
import type { IdempotencyStore, WebhookEventStore } from './paymentStore.ts';

export function sqliteWebhookEvents(db: SqliteDatabase): WebhookEventStore {
  return {
    seen: (eventId) => db.prepare('SELECT 1 FROM webhook_events WHERE id = ?').get(eventId) !== undefined,
    record: (eventId, type) => {
      db.prepare(
        'INSERT INTO webhook_events (id, type, processed_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
      ).run(eventId, type, new Date().toISOString());
    },
  };
}

export function sqliteIdempotency(db: SqliteDatabase): IdempotencyStore {
  return {
    get: (scope, key) =>
      db
        .prepare('SELECT fingerprint, response FROM idempotency_keys WHERE scope = ? AND key = ?')
        .get(scope, key) as { fingerprint: string; response: string } | undefined,
    save: (scope, key, fingerprint, response, now) => {
      db.prepare(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, key) DO NOTHING`,
      ).run(scope, key, fingerprint, response, now);
    },
    prune: (before) => db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(before).changes,
  };
}
