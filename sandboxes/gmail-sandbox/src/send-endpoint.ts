import express, { Router, type Request, type Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessTokens } from './access-tokens.ts';
import { decodeMessage } from './decode-message.ts';
import type { Faults } from './faults.ts';
import { defaultServerErrorMessage, sendGoogleError } from './google-errors.ts';
import { newMessageId, type MessageStore } from './message-store.ts';
import { jsonPayload, uploadPayload, type SendPayload } from './upload-body.ts';

// Gmail accepts messages up to 35 MB through the upload path.
const MAX_MESSAGE_SIZE = '36mb';

// Google's wording, so the rejected gaxios error reads as it would against gmail.googleapis.com.
const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export interface SendDependencies {
  tokens: AccessTokens;
  faults: Faults;
  store: MessageStore;
}

export function isAuthorized(req: Request, res: Response, tokens: AccessTokens): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (match?.[1] && tokens.isValid(match[1])) return true;
  res.set(
    'WWW-Authenticate',
    `Bearer realm="https://accounts.google.com/"${match ? ', error="invalid_token"' : ''}`,
  );
  if (match) sendGoogleError(res, 401, INVALID_CREDENTIALS, 'Invalid Credentials');
  else sendGoogleError(res, 401, MISSING_CREDENTIALS, 'Login Required.');
  return false;
}

export function sendRouter({ tokens, faults, store }: SendDependencies): Router {
  const router = Router();

  const send = (readPayload: (req: Request) => SendPayload) => async (req: Request, res: Response) => {
    if (!isAuthorized(req, res, tokens)) return;
    const slow = faults.take('slow');
    if (slow) await sleep(slow.delay_ms ?? 0);
    const error = faults.take('error');
    if (error) {
      const status = error.status ?? 503;
      return sendGoogleError(res, status, defaultServerErrorMessage(status));
    }

    const payload = readPayload(req);
    if (payload.invalidRaw) {
      return sendGoogleError(res, 400, "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed");
    }
    if (!payload.raw || payload.raw.length === 0) {
      return sendGoogleError(
        res,
        400,
        "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
      );
    }
    const decoded = await decodeMessage(payload.raw);
    if (decoded.recipients.length === 0) return sendGoogleError(res, 400, 'Recipient address required');

    const id = newMessageId();
    // Gmail keeps a given threadId only when that thread exists; otherwise the message starts its own.
    const threadId = payload.threadId && store.hasThread(payload.threadId) ? payload.threadId : id;
    const labelIds = ['SENT'];
    store.add({
      ...decoded,
      id,
      threadId,
      labelIds,
      userId: String(req.params.userId),
      receivedAt: new Date().toISOString(),
      raw: payload.raw,
    });
    res.json({ id, threadId, labelIds });
  };

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
