import type { SqliteDatabase } from '@shop/shared';
import type { WebhookEventStore } from './paymentStore.ts';

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
