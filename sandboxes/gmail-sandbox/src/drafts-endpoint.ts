import express, { Router } from 'express';
import { decodeMessage } from './decode-message.ts';
import { gmailCall } from './gmail-call.ts';
import { draftRef } from './gmail-types.ts';
import { sendGoogleError } from './google-errors.ts';
import { newMessageId } from './message-store.ts';
import { ENDPOINT_SCOPES } from './scopes.ts';
import { deliver, MAX_MESSAGE_SIZE, requireRaw, type SendDependencies } from './send-endpoint.ts';
import { messagePayload } from './upload-body.ts';

const NOT_FOUND = 'Requested entity was not found.';

/**
 * users.drafts create, get and send, as the Gmail guide describes them: a draft has a stable id;
 * sending it deletes the draft and creates a new SENT message, answered by drafts.send. A draft
 * that was sent (or deleted) is gone: drafts.get and drafts.send answer 404.
 */
export function draftsRouter(deps: SendDependencies): Router {
  const router = Router();
  const { store } = deps;

  router.post(
    '/gmail/v1/users/:userId/drafts',
    express.json({ limit: MAX_MESSAGE_SIZE }),
    gmailCall(deps, 'drafts.create', ENDPOINT_SCOPES.draftsCreate, async (req, res) => {
      const message = (req.body as { message?: unknown } | undefined)?.message;
      const raw = requireRaw(messagePayload(message), res);
      if (!raw) return;
      await decodeMessage(raw); // a message mailparser cannot read fails here, as Gmail refuses it
      const id = `r${newMessageId()}`;
      const messageId = newMessageId();
      const draft = { id, message: { id: messageId, threadId: messageId, labelIds: ['DRAFT'], raw } };
      store.addDraft(draft);
      res.json(draftRef(draft));
    }),
  );

  router.get(
    '/gmail/v1/users/:userId/drafts/:id',
    gmailCall(deps, 'drafts.get', ENDPOINT_SCOPES.draftsGet, (req, res) => {
      const draft = store.getDraft(String(req.params.id));
      if (!draft) return sendGoogleError(res, 404, NOT_FOUND);
      res.json(draftRef(draft));
    }),
  );

  router.post(
    '/gmail/v1/users/:userId/drafts/send',
    express.json({ limit: MAX_MESSAGE_SIZE }),
    gmailCall(deps, 'drafts.send', ENDPOINT_SCOPES.draftsSend, async (req, res) => {
      const id = (req.body as { id?: unknown } | undefined)?.id;
      if (typeof id !== 'string' || id === '') return sendGoogleError(res, 400, 'Invalid draft');
      const draft = store.takeDraft(id);
      if (!draft) return sendGoogleError(res, 404, NOT_FOUND);
      const sent = await deliver(deps, res, {
        raw: draft.message.raw,
        threadId: undefined,
        userId: String(req.params.userId),
      });
      if (!sent) {
        store.addDraft(draft); // refused: the draft stays, as nothing was sent
        return;
      }
      res.json(sent);
    }),
  );
  return router;
}
