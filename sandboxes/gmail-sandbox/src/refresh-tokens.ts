import { Router } from 'express';
import { z } from 'zod';
import { DEFAULT_GRANTED_SCOPES } from './scopes.ts';

/** The refresh token every dev set-up uses (the notification-service's default without credentials). */
export const DEFAULT_REFRESH_TOKEN = 'sandbox-refresh-token';

/**
 * The refresh tokens this sandbox knows, each with the scopes it was granted. Google answers
 * `invalid_grant` to any other refresh token, and so does the sandbox.
 */
export class RefreshTokens {
  private readonly grants = new Map<string, readonly string[]>([
    [DEFAULT_REFRESH_TOKEN, DEFAULT_GRANTED_SCOPES],
  ]);

  grant(refreshToken: string, scopes: readonly string[]): void {
    this.grants.set(refreshToken, scopes);
  }

  scopesOf(refreshToken: string): readonly string[] | undefined {
    return this.grants.get(refreshToken);
  }
}

const grantSchema = z.strictObject({
  refresh_token: z.string().min(1),
  scopes: z.array(z.string().url()).min(1),
});

/** `POST /api/refresh-tokens {refresh_token, scopes}`: lets a test hold a grant with other scopes. */
export function refreshTokensRouter(refreshTokens: RefreshTokens): Router {
  const router = Router();
  router.post('/api/refresh-tokens', (req, res) => {
    const parsed = grantSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'validation_failed', message: parsed.error.message } });
      return;
    }
    refreshTokens.grant(parsed.data.refresh_token, parsed.data.scopes);
    res.status(201).json(parsed.data);
  });
  return router;
}
