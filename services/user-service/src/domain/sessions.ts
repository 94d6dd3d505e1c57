import { randomUUID } from 'node:crypto';
import { signUserToken, unauthorized, type Principal } from '@shop/shared';
import type { UserStore } from '../data/userStore.ts';
import { randomToken, sha256 } from './secrets.ts';

export interface SessionSettings {
  store: UserStore;
  privateKey: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  now?: () => Date;
}

export interface Tokens {
  token: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

const sessionEnded = () => unauthorized('This session has ended; log in again.', 'session_ended');

/**
 * Login sessions. An access token is short (about 15 minutes) and verified locally by every
 * service; it names its session (`sid`). A refresh token is opaque, stored only as a hash, and
 * spent by its one use: a second use means it was copied, so the whole session ends.
 */
export function createSessions({
  store,
  privateKey,
  accessTtlSeconds,
  refreshTtlSeconds,
  now = () => new Date(),
}: SessionSettings) {
  async function issue(userId: string, sessionId: string): Promise<Tokens> {
    const refreshToken = randomToken();
    await store.addRefreshToken({
      hash: sha256(refreshToken),
      session_id: sessionId,
      user_id: userId,
      expires_at: new Date(now().getTime() + refreshTtlSeconds * 1000),
    });
    return {
      token: signUserToken(privateKey, userId, accessTtlSeconds, sessionId),
      expiresIn: accessTtlSeconds,
      refreshToken,
      refreshExpiresIn: refreshTtlSeconds,
    };
  }

  return {
    async start(userId: string): Promise<Tokens> {
      const id = randomUUID();
      await store.createSession({ id, user_id: userId, created_at: now() });
      return issue(userId, id);
    },

    /** Rotation: the token is spent and a new one issued; a spent one ends its session (401). */
    async refresh(refreshToken: string): Promise<Tokens & { userId: string }> {
      const found = await store.spendRefreshToken(sha256(refreshToken), now());
      if (found.outcome === 'reused') {
        await store.endSession(found.session_id, now());
        throw unauthorized(
          'This refresh token was used before, so it may have been copied: its session has ended. Log in again.',
          'refresh_token_reused',
        );
      }
      if (found.outcome === 'unknown') {
        throw unauthorized(
          'The refresh token is not valid (unknown, expired or its session ended).',
          'invalid_refresh_token',
        );
      }
      return { ...(await issue(found.user_id, found.session_id)), userId: found.user_id };
    },

    end: (sessionId: string) => store.endSession(sessionId, now()),
    endAll: (userId: string, keep?: string) => store.endUserSessions(userId, now(), keep),

    /**
     * For the user-service's own sensitive endpoints: the caller's session must still be active. A
     * token with no session (minted by a test or an old version) is refused as well.
     */
    async requireActive(caller: Extract<Principal, { kind: 'user' }>): Promise<string> {
      if (!caller.sessionId || !(await store.isSessionActive(caller.sessionId))) throw sessionEnded();
      return caller.sessionId;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
