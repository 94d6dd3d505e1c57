import { randomBytes } from 'node:crypto';

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;
export const GMAIL_SEND_SCOPE = 'https://www.googleapis.com/auth/gmail.send';

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

/** Access tokens this sandbox issued; a send must present one of them, unexpired. */
export class AccessTokens {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(clientId: string): string {
    // The ya29. prefix matches Google's OAuth access tokens, so log scrubbers treat it alike.
    const token = `ya29.sandbox-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { clientId, expiresAt: this.now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  isValid(token: string): boolean {
    const issued = this.tokens.get(token);
    if (!issued) return false;
    if (issued.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }
}
