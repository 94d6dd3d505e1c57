import { Router } from 'express';
import type { MessageStore, StoredMessage } from './message-store.ts';

/** The JSON shape of a message in /api/messages: decoded fields, no raw bytes. */
export type MessageView = Omit<StoredMessage, 'raw' | 'date'> & { date: string };

export function messageView({ raw: _raw, id, threadId, ...message }: StoredMessage): MessageView {
  // A message without a usable Date header is dated by when the sandbox received it.
  return { id, threadId, ...message, date: message.date ?? message.receivedAt };
}

export function messagesApiRouter(store: MessageStore): Router {
  const router = Router();
  router.get('/api/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    res.json({ messages: store.list({ to }).map(messageView) });
  });
  router.get('/api/messages/:id', (req, res) => {
    const message = store.get(req.params.id);
    if (!message) {
      res.status(404).json({ error: { code: 'not_found', message: `No message with id ${req.params.id}` } });
      return;
    }
    if (req.query.format === 'raw') {
      res.type('message/rfc822').send(message.raw);
      return;
    }
    res.json(messageView(message));
  });
  router.delete('/api/messages', (_req, res) => {
    store.clear();
    res.status(204).end();
  });
  return router;
}
