import { Router } from 'express';
import { gmailCall } from './gmail-call.ts';
import { messageList } from './gmail-types.ts';
import { sendGoogleError } from './google-errors.ts';
import type { SendDependencies } from './send-endpoint.ts';
import { ENDPOINT_SCOPES, SCOPES } from './scopes.ts';

const stripBrackets = (id: string) => id.trim().replace(/^<|>$/g, '');

/**
 * `users.messages.list`, reduced to `q=rfc822msgid:<id>` (a message by its Message-ID header, an
 * operator real Gmail has) or no `q` (every message). It needs a read scope, as in Gmail: a
 * send-only token gets 403. Unlike Gmail, results show at once (Gmail's search index lags).
 */
export function listRouter(deps: SendDependencies): Router {
  const router = Router();
  router.get(
    '/gmail/v1/users/:userId/messages',
    gmailCall(deps, 'messages.list', ENDPOINT_SCOPES.messagesList, (req, res) => {
      const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
      const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      const scopes = deps.tokens.scopesOf(token) ?? [];
      const readable: readonly string[] = ENDPOINT_SCOPES.messagesList.filter((s) => s !== SCOPES.metadata);
      if (q && !scopes.some((s) => readable.includes(s)))
        return sendGoogleError(res, 403, "Metadata scope does not support 'q' parameter");
      const wanted = /^rfc822msgid:(\S+)$/i.exec(q)?.[1];
      const matches = deps.store
        .list()
        .filter(
          (m) =>
            !q ||
            (wanted !== undefined &&
              m.messageId !== undefined &&
              stripBrackets(m.messageId) === stripBrackets(wanted)),
        );
      res.json(messageList(matches.map((m) => ({ id: m.id, threadId: m.threadId }))));
    }),
  );
  return router;
}
