import { auth, gmail } from '@googleapis/gmail';
import type { Logger, ServiceMetrics } from '@shop/shared';
import type { GmailSettings } from '../config.ts';
import { MailerError, type Mailer } from '../domain/mailer.ts';
import { GmailTimeout, classifyGmailError } from './gmailErrors.ts';

// gaxios's own timeout is only a backstop: our deadline (which aborts the call) always ends it first.
const BACKSTOP_MS = 1_000;

/** Runs `call` with an abort signal; rejects with GmailTimeout once `ms` have passed, whatever it does. */
async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new GmailTimeout(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status a failed gaxios call received (gaxios puts it on the error), or 0 when no answer came. */
function gaxiosErrorStatus(error: unknown): number {
  const e = error as { status?: unknown; response?: { status?: unknown } };
  const status = e?.response?.status ?? e?.status;
  return typeof status === 'number' ? status : 0;
}

export interface GmailMailerOptions {
  logger: Logger;
  metrics?: ServiceMetrics;
  /** Bounds each OAuth token request; each call's own deadline bounds the call as a whole. */
  tokenTimeoutMs: number;
}

/**
 * The Gmail API through the official client: OAuth2 with a refresh token, against real Gmail or the
 * local sandbox (same code path, other URLs). gaxios's own retries are off: the delivery worker
 * decides about retries, and a POST retried blindly could send a mail twice.
 */
export function createGmailMailer(
  settings: GmailSettings,
  { logger, metrics, tokenTimeoutMs }: GmailMailerOptions,
): Mailer {
  const oauth = new auth.OAuth2({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    // google-auth-library reads the token URL from here (a `tokenUrl` option would be ignored).
    endpoints: { oauth2TokenUrl: settings.tokenUrl },
    transporterOptions: { timeout: tokenTimeoutMs },
  });
  oauth.setCredentials({ refresh_token: settings.refreshToken });
  const client = gmail({ version: 'v1', auth: oauth, rootUrl: `${settings.apiUrl}/`, retry: false });

  // Each Gmail call's duration goes beside the calls to the other services (token refresh included).
  const timed = async <T>(method: 'GET' | 'POST', call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const observe = (status: number) =>
      metrics?.outboundDuration.observe(
        { target: 'gmail', method, status: String(status) },
        (performance.now() - started) / 1000,
      );
    try {
      const result = await call();
      observe(200);
      return result;
    } catch (error) {
      observe(gaxiosErrorStatus(error));
      throw error;
    }
  };

  const fail = (error: unknown, timeoutMs: number, action: string): never => {
    const failure = classifyGmailError(error, settings.tokenUrl, timeoutMs);
    if (failure.configProblem) {
      logger.error(
        { reason: failure.reason, gmail_api: settings.apiUrl, token_url: settings.tokenUrl },
        `Gmail ${action} failed because of a configuration problem: check GMAIL_CLIENT_ID, ` +
          'GMAIL_CLIENT_SECRET and GMAIL_REFRESH_TOKEN (invalid_grant means the refresh token is ' +
          'expired or revoked). Mails stay queued and are retried.',
      );
    }
    throw new MailerError(failure);
  };

  return {
    sender: settings.sender,
    async send(mime, timeoutMs) {
      try {
        const res = await timed('POST', () =>
          withDeadline(timeoutMs, (signal) =>
            client.users.messages.send(
              { userId: 'me', requestBody: { raw: mime.toString('base64url') } },
              { timeout: timeoutMs + BACKSTOP_MS, signal, retry: false },
            ),
          ),
        );
        return { gmailMessageId: res.data.id ?? null };
      } catch (error) {
        return fail(error, timeoutMs, 'send');
      }
    },
    async findSent(messageId, timeoutMs) {
      try {
        const res = await timed('GET', () =>
          withDeadline(timeoutMs, (signal) =>
            client.users.messages.list(
              {
                userId: 'me',
                q: `rfc822msgid:${messageId.replace(/^<|>$/g, '')}`,
                includeSpamTrash: true,
                maxResults: 1,
              },
              { timeout: timeoutMs + BACKSTOP_MS, signal, retry: false },
            ),
          ),
        );
        return res.data.messages?.[0]?.id ?? undefined;
      } catch (error) {
        return fail(error, timeoutMs, 'lookup');
      }
    },
  };
}
