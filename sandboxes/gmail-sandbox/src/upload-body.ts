import type { Request } from 'express';

/** What a send request carries: the RFC 822 bytes and the optional Message metadata (threadId). */
export interface SendPayload {
  raw: Buffer | undefined;
  threadId: string | undefined;
  /** Set when `raw` was present but not valid base64. */
  invalidRaw?: boolean;
}

// Google's `format: byte` fields take base64url or standard base64, padded or not.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The `raw` and `threadId` of a Gmail Message resource. */
export function messagePayload(resource: unknown): SendPayload {
  if (typeof resource !== 'object' || resource === null) return { raw: undefined, threadId: undefined };
  const { raw, threadId } = resource as Record<string, unknown>;
  const thread = typeof threadId === 'string' && threadId !== '' ? threadId : undefined;
  if (raw === undefined || raw === null || raw === '') return { raw: undefined, threadId: thread };
  if (typeof raw !== 'string' || !BASE64.test(raw) || raw.replace(/=+$/, '').length % 4 === 1) {
    return { raw: undefined, threadId: thread, invalidRaw: true };
  }
  return { raw: Buffer.from(raw, 'base64url'), threadId: thread };
}

/** POST /gmail/v1/users/:userId/messages/send with a JSON Message resource. */
export function jsonPayload(req: Request): SendPayload {
  return messagePayload(req.body);
}

/**
 * POST /upload/gmail/v1/users/:userId/messages/send: uploadType=media sends the message itself
 * (message/rfc822); uploadType=multipart sends multipart/related with the JSON Message resource
 * first and the message second. This is what googleapis does for `media: {mimeType, body}`.
 */
export function uploadPayload(req: Request): SendPayload {
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  if (!body || body.length === 0) return { raw: undefined, threadId: undefined };
  const boundary = req.is('multipart/related') ? boundaryOf(req.get('content-type') ?? '') : undefined;
  if (!boundary) return { raw: body, threadId: undefined };
  const parts = splitMultipart(body, boundary);
  const [metadata, media] = parts;
  if (!media) return { raw: undefined, threadId: undefined };
  let resource: unknown;
  try {
    resource = metadata && metadata.body.length > 0 ? JSON.parse(metadata.body.toString('utf8')) : {};
  } catch {
    resource = {};
  }
  return { ...messagePayload(resource), raw: media.body };
}

function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

interface Part {
  body: Buffer;
}

function splitMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break; // close delimiter
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) break;
    // A part runs from the CRLF after its delimiter to the CRLF before the next one.
    let segment = body.subarray(afterDelimiter, next);
    if (segment.subarray(0, 2).toString() === '\r\n') segment = segment.subarray(2);
    if (segment.subarray(-2).toString() === '\r\n') segment = segment.subarray(0, -2);
    // Part headers (its content-type) are not needed: the order says which part is which.
    const headerEnd = segment.indexOf('\r\n\r\n');
    parts.push({ body: headerEnd < 0 ? segment : segment.subarray(headerEnd + 4) });
    start = next;
  }
  return parts;
}
