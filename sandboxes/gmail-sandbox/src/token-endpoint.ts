import { Router, type Request, type Response } from 'express';
import { ACCESS_TOKEN_LIFETIME_SECONDS, type AccessTokens } from './access-tokens.ts';
import type { Faults } from './faults.ts';
import type { RefreshTokens } from './refresh-tokens.ts';

// Google's token endpoint answers OAuth errors as flat {error, error_description} (RFC 6749 §5.2),
// not in the {error:{code,...}} shape of the Gmail API.
function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

/** client_secret_basic: credentials may come in an Authorization: Basic header instead of the body. */
function basicCredentials(req: Request): { id?: string; secret?: string } {
  const header = req.get('authorization');
  if (!header?.startsWith('Basic ')) return {};
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  return { id: safeDecode(decoded.slice(0, colon)), secret: safeDecode(decoded.slice(colon + 1)) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function tokenRouter(tokens: AccessTokens, refreshTokens: RefreshTokens, faults: Faults): Router {
  const router = Router();
  router.post('/token', (req, res) => {
    const body: unknown = req.body;
    const basic = basicCredentials(req);
    const grantType = field(body, 'grant_type');
    const clientId = field(body, 'client_id') ?? basic.id;
    const clientSecret = field(body, 'client_secret') ?? basic.secret;
    const refreshToken = field(body, 'refresh_token');

    if (!grantType) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: grant_type');
    if (grantType !== 'refresh_token') {
      return oauthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    }
    if (!clientId) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: client_id');
    if (!clientSecret) return oauthError(res, 400, 'invalid_request', 'client_secret is missing.');
    if (!refreshToken) {
      return oauthError(res, 400, 'invalid_request', 'Missing required parameter: refresh_token');
    }
    if (faults.take('invalid_grant')) {
      return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    // Google answers a refresh token it never issued with invalid_grant, as it does a revoked one.
    const scopes = refreshTokens.scopesOf(refreshToken);
    if (!scopes) return oauthError(res, 400, 'invalid_grant', 'Bad Request');
    res.set('Cache-Control', 'no-cache, no-store, max-age=0, must-revalidate').json({
      access_token: tokens.issue(clientId, scopes),
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      token_type: 'Bearer',
      scope: scopes.join(' '),
    });
  });
  return router;
}
