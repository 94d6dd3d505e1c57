import { randomBytes } from 'node:crypto';

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;

interface IssuedToken {
  clientId: string;
  scopes: readonly string[];
  expiresAt: number;
}

/** Access tokens this sandbox issued, with the scopes of the grant; a call must present one, unexpired. */
export class AccessTokens {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(clientId: string, scopes: readonly string[]): string {
    // The ya29. prefix matches Google's OAuth access tokens, so log scrubbers treat it alike.
    const token = `ya29.sandbox-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, {
      clientId,
      scopes,
      expiresAt: this.now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    });
    return token;
  }

  /** The token's scopes while it is valid; undefined when unknown or expired. */
  scopesOf(token: string): readonly string[] | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return issued.scopes;
  }
}
