import type { Request, RequestHandler, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessTokens } from './access-tokens.ts';
import type { Faults, Operation } from './faults.ts';
import { defaultErrorMessage, sendGoogleError } from './google-errors.ts';

// Google's wording, so the rejected gaxios error reads as it would against gmail.googleapis.com.
const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const INSUFFICIENT_SCOPES = 'Request had insufficient authentication scopes.';

export interface GmailCallDeps {
  tokens: AccessTokens;
  faults: Faults;
}

/** 401 without a valid token, 403 insufficientPermissions when its grant has none of `accepted`. */
function authorize(req: Request, res: Response, tokens: AccessTokens, accepted: readonly string[]): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  const scopes = match?.[1] ? tokens.scopesOf(match[1]) : undefined;
  if (!scopes) {
    res.set(
      'WWW-Authenticate',
      `Bearer realm="https://accounts.google.com/"${match ? ', error="invalid_token"' : ''}`,
    );
    if (match) sendGoogleError(res, 401, INVALID_CREDENTIALS, { detailMessage: 'Invalid Credentials' });
    else sendGoogleError(res, 401, MISSING_CREDENTIALS, { detailMessage: 'Login Required.' });
    return false;
  }
  if (!scopes.some((scope) => accepted.includes(scope))) {
    res.set(
      'WWW-Authenticate',
      `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${accepted.join(' ')}"`,
    );
    sendGoogleError(res, 403, INSUFFICIENT_SCOPES, {
      detailMessage: 'Insufficient Permission',
      reason: 'insufficientPermissions',
    });
    return false;
  }
  return true;
}

/**
 * Every Gmail API method goes through here: authentication and the method's scopes first (a 401 or
 * 403 does not use up a fault), then an armed `slow` and `error` fault, then the handler.
 */
export function gmailCall(
  { tokens, faults }: GmailCallDeps,
  operation: Operation,
  accepted: readonly string[],
  handler: (req: Request, res: Response) => Promise<void> | void,
): RequestHandler {
  return async (req, res) => {
    if (!authorize(req, res, tokens, accepted)) return;
    const slow = faults.take('slow', operation);
    if (slow) await sleep(slow.delay_ms ?? 0);
    const error = faults.take('error', operation);
    if (error) {
      const status = error.status ?? 503;
      if (error.retry_after_s !== undefined) res.set('Retry-After', String(error.retry_after_s));
      return sendGoogleError(res, status, defaultErrorMessage(status, error.reason), {
        reason: error.reason,
      });
    }
    await handler(req, res);
  };
}
