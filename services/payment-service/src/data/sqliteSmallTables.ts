import type { SqliteDatabase } from '@shop/shared';
import type { IdempotencyStore, WebhookEventStore } from './paymentStore.ts';

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

export function sqliteIdempotency(db: SqliteDatabase): IdempotencyStore {
  const get = db.prepare<[string, string], { fingerprint: string; response: string }>(
    'SELECT fingerprint, response FROM idempotency_keys WHERE scope = ? AND key = ?',
  );
  const save = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (scope, key) DO NOTHING`,
  );
  const prune = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created_at < ?');
  return {
    get: (scope, key) => get.get(scope, key),
    save: (scope, key, fingerprint, response, now) => {
      save.run(scope, key, fingerprint, response, now);
    },
    prune: (before) => prune.run(before).changes,
  };
}
