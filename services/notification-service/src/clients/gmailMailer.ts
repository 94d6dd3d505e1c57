import { auth, gmail } from '@googleapis/gmail';
import type { Logger, ServiceMetrics } from '@shop/shared';
import type { GmailSettings } from '../config.ts';
import { DRAFT_GONE, MailerError, type Mailer } from '../domain/mailer.ts';
import { GmailTimeout, classifyGmailError, gaxiosStatus } from './gmailErrors.ts';

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
      observe(gaxiosStatus(error) ?? 0);
      throw error;
    }
  };

  const fail = (error: unknown, timeoutMs: number, action: string): never => {
    const failure = classifyGmailError(error, settings.tokenUrl, timeoutMs);
    if (failure.kind === 'configuration') {
      logger.error(
        { reason: failure.reason, gmail_api: settings.apiUrl, token_url: settings.tokenUrl },
        `Gmail ${action} failed because of a configuration problem: check GMAIL_CLIENT_ID, ` +
          'GMAIL_CLIENT_SECRET and GMAIL_REFRESH_TOKEN and its scopes (gmail.compose, ' +
          'gmail.settings.basic); invalid_grant means the refresh token is expired or revoked. ' +
          'Mails stay queued and are retried.',
      );
    }
    throw new MailerError(failure);
  };

  // One Gmail call under our deadline; gaxios's own timeout is a backstop, its retries are off.
  const call = <T>(method: 'GET' | 'POST', timeoutMs: number, run: (options: object) => Promise<T>) =>
    timed(method, () =>
      withDeadline(timeoutMs, (signal) => run({ timeout: timeoutMs + BACKSTOP_MS, signal, retry: false })),
    );
  const isGone = (error: unknown) => gaxiosStatus(error) === 404;

  return {
    sender: settings.sender,
    async createDraft(mime, timeoutMs) {
      try {
        const res = await call('POST', timeoutMs, (options) =>
          client.users.drafts.create(
            { userId: 'me', requestBody: { message: { raw: mime.toString('base64url') } } },
            options,
          ),
        );
        if (!res.data.id) throw new Error('drafts.create answered no draft id');
        return { draftId: res.data.id };
      } catch (error) {
        return fail(error, timeoutMs, 'draft creation');
      }
    },
    async draftState(draftId, timeoutMs) {
      try {
        await call('GET', timeoutMs, (options) =>
          client.users.drafts.get({ userId: 'me', id: draftId, format: 'minimal' }, options),
        );
        return 'pending';
      } catch (error) {
        if (isGone(error)) return DRAFT_GONE;
        return fail(error, timeoutMs, 'draft lookup');
      }
    },
    async sendDraft(draftId, timeoutMs) {
      try {
        const res = await call('POST', timeoutMs, (options) =>
          client.users.drafts.send({ userId: 'me', requestBody: { id: draftId } }, options),
        );
        return { gmailMessageId: res.data.id ?? null };
      } catch (error) {
        if (isGone(error)) return DRAFT_GONE;
        return fail(error, timeoutMs, 'send');
      }
    },
    async allowedSenders(timeoutMs) {
      try {
        const res = await call('GET', timeoutMs, (options) =>
          client.users.settings.sendAs.list({ userId: 'me' }, options),
        );
        return (res.data.sendAs ?? [])
          .filter((entry) => entry.isPrimary || entry.verificationStatus === 'accepted')
          .map((entry) => entry.sendAsEmail ?? '')
          .filter((address) => address !== '');
      } catch (error) {
        return fail(error, timeoutMs, 'send-as check');
      }
    },
  };
}
