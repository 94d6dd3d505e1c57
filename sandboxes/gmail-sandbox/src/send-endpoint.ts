import express, { Router, type Request, type Response } from 'express';
import type { SandboxAccount } from './account.ts';
import { decodeMessage } from './decode-message.ts';
import { gmailCall, type GmailCallDeps } from './gmail-call.ts';
import { messageRef } from './gmail-types.ts';
import { sendGoogleError } from './google-errors.ts';
import { newMessageId, type MessageStore } from './message-store.ts';
import { asGmailSendsIt } from './outgoing-headers.ts';
import { ENDPOINT_SCOPES } from './scopes.ts';
import { jsonPayload, uploadPayload, type SendPayload } from './upload-body.ts';

// Gmail accepts messages up to 35 MB through the upload path.
export const MAX_MESSAGE_SIZE = '36mb';

export interface SendDependencies extends GmailCallDeps {
  store: MessageStore;
  account: SandboxAccount;
}

/** The RFC 822 bytes of a request, or a 400 answered in Google's words (then undefined). */
export function requireRaw(payload: SendPayload, res: Response): Buffer | undefined {
  if (payload.invalidRaw) {
    sendGoogleError(res, 400, "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed");
    return undefined;
  }
  if (!payload.raw || payload.raw.length === 0) {
    sendGoogleError(
      res,
      400,
      "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
    );
    return undefined;
  }
  return payload.raw;
}

/**
 * Sends a message as Gmail does (From and Message-ID as Gmail would set them) and stores it under
 * SENT; answers the Message resource, or undefined after answering 400 for a message with no recipient.
 */
export async function deliver(
  { store, account }: Pick<SendDependencies, 'store' | 'account'>,
  res: Response,
  message: { raw: Buffer; threadId: string | undefined; userId: string },
) {
  const raw = asGmailSendsIt(message.raw, account);
  const decoded = await decodeMessage(raw);
  if (decoded.recipients.length === 0) {
    sendGoogleError(res, 400, 'Recipient address required');
    return undefined;
  }
  const id = newMessageId();
  // Gmail keeps a given threadId only when that thread exists; otherwise the message starts its own.
  const threadId = message.threadId && store.hasThread(message.threadId) ? message.threadId : id;
  const labelIds = ['SENT'];
  store.add({
    ...decoded,
    id,
    threadId,
    labelIds,
    userId: message.userId,
    receivedAt: new Date().toISOString(),
    raw,
  });
  return messageRef({ id, threadId, labelIds });
}

export function sendRouter(deps: SendDependencies): Router {
  const router = Router();

  const send = (readPayload: (req: Request) => SendPayload) =>
    gmailCall(deps, 'messages.send', ENDPOINT_SCOPES.messagesSend, async (req, res) => {
      const payload = readPayload(req);
      const raw = requireRaw(payload, res);
      if (!raw) return;
      const sent = await deliver(deps, res, {
        raw,
        threadId: payload.threadId,
        userId: String(req.params.userId),
      });
      if (sent) res.json(sent);
    });

  router.post(
    '/gmail/v1/users/:userId/messages/send',
    express.json({ limit: MAX_MESSAGE_SIZE }),
    send(jsonPayload),
  );
  router.post(
    '/upload/gmail/v1/users/:userId/messages/send',
    // The JSON parser covers uploadType=multipart callers that post only the resource.
    express.json({ limit: MAX_MESSAGE_SIZE }),
    express.raw({ type: () => true, limit: MAX_MESSAGE_SIZE }),
    send((req) => (Buffer.isBuffer(req.body) ? uploadPayload(req) : jsonPayload(req))),
  );
  return router;
}
