import { Router } from 'express';
import { isAuthorized, type SendDependencies } from './send-endpoint.ts';

const stripBrackets = (id: string) => id.trim().replace(/^<|>$/g, '');

/**
 * `users.messages.list`, reduced to what a sender needs: `q=rfc822msgid:<id>` finds a message by its
 * Message-ID header (real Gmail supports that operator), so a client that crashed mid-send can ask
 * whether its message went out before sending it again. Without `q` it lists every message.
 */
export function listRouter({ tokens, store }: Pick<SendDependencies, 'tokens' | 'store'>): Router {
  const router = Router();
  router.get('/gmail/v1/users/:userId/messages', (req, res) => {
    if (!isAuthorized(req, res, tokens)) return;
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const wanted = /^rfc822msgid:(\S+)$/i.exec(q)?.[1];
    const matches = store
      .list()
      .filter(
        (m) =>
          !q ||
          (wanted !== undefined &&
            m.messageId !== undefined &&
            stripBrackets(m.messageId) === stripBrackets(wanted)),
      );
    const messages = matches.map((m) => ({ id: m.id, threadId: m.threadId }));
    res.json(
      messages.length > 0 ? { messages, resultSizeEstimate: messages.length } : { resultSizeEstimate: 0 },
    );
  });
  return router;
}
