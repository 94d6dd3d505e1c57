import { auth, gmail, type gmail_v1 } from '@googleapis/gmail';
import { startGmailSandbox, type RunningGmailSandbox, type SandboxAccount } from '../src/index.ts';

/** The mailbox most tests send from: the From of buildMime's callers is this address. */
export const TEST_ACCOUNT: SandboxAccount = { address: 'shop@example.com', aliases: ['billing@example.com'] };

/** Starts a sandbox on 127.0.0.1 and a free port, runs the test body, and always closes it. */
export async function withSandbox(
  body: (sandbox: RunningGmailSandbox) => Promise<void>,
  account: SandboxAccount = TEST_ACCOUNT,
): Promise<void> {
  const sandbox = await startGmailSandbox({ port: 0, host: '127.0.0.1', account });
  try {
    await body(sandbox);
  } finally {
    await sandbox.close();
  }
}

export interface ClientCredentials {
  refresh_token?: string;
  access_token?: string;
}

/**
 * The real googleapis client, wired the way the notification-service wires it. `retry: false`
 * makes every send exactly one HTTP attempt (gaxios would not retry a POST anyway, but the fault
 * tests count attempts, so it is pinned). The token refresh keeps google-auth-library's own retry
 * config, which retries 5xx/429 but never a 400 such as invalid_grant.
 */
export function gmailClient(
  url: string,
  credentials: ClientCredentials = { refresh_token: 'sandbox-refresh-token' },
): gmail_v1.Gmail {
  const oauth = new auth.OAuth2({
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    // The `tokenUrl` option is ignored by google-auth-library; this is the one it reads.
    endpoints: { oauth2TokenUrl: `${url}/token` },
  });
  oauth.setCredentials(credentials);
  return gmail({ version: 'v1', auth: oauth, rootUrl: `${url}/`, retry: false });
}

/** RFC 2047 encoded-word, as mail libraries write non-ASCII header text. */
export function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

export interface MimeInput {
  from?: string;
  to?: string;
  subject: string;
  text: string;
  html?: string;
}

/** A multipart/alternative message (text + optional HTML), CRLF line endings, base64 parts. */
export function buildMime({ from, to, subject, text, html }: MimeInput): string {
  const boundary = 'sandbox-test-boundary';
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const headers = [
    ...(from ? [`From: ${from}`] : []),
    ...(to ? [`To: ${to}`] : []),
    `Subject: ${subject}`,
    'Date: Tue, 04 Mar 2025 10:15:00 +0000',
    'Message-ID: <test-1@shop.example>',
    'MIME-Version: 1.0',
  ];
  if (!html) {
    return [
      ...headers,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64(text),
    ]
      .join('\r\n')
      .concat('\r\n');
  }
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export function base64url(mime: string): string {
  return Buffer.from(mime, 'utf8').toString('base64url');
}

/** Minimal view of a listed message, for assertions. */
export interface ListedMessage {
  id: string;
  threadId: string;
  from: string;
  to: string;
  subject: string;
  date: string;
  text: string;
  html: string;
  labelIds: string[];
  headers: Record<string, string>;
}

export async function listMessages(url: string, query = ''): Promise<ListedMessage[]> {
  const res = await fetch(`${url}/api/messages${query}`);
  if (!res.ok) throw new Error(`GET /api/messages answered ${res.status}`);
  const body = (await res.json()) as { messages: ListedMessage[] };
  return body.messages;
}

export async function armFault(url: string, fault: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
}

/** Lets `refreshToken` be exchanged for an access token with these scopes (and no others). */
export async function grantScopes(url: string, refreshToken: string, scopes: string[]): Promise<void> {
  const res = await fetch(`${url}/api/refresh-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken, scopes }),
  });
  if (res.status !== 201) throw new Error(`granting scopes answered ${res.status}`);
}

/** The rejection of a gaxios call, as the caller sees it. */
export interface GaxiosLikeError {
  message: string;
  status?: number;
  response?: { status: number; data: unknown };
}

export async function rejectionOf(promise: Promise<unknown>): Promise<GaxiosLikeError> {
  try {
    await promise;
  } catch (error) {
    return error as GaxiosLikeError;
  }
  throw new Error('expected the call to reject, but it resolved');
}
