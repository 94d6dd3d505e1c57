import type { SqliteDatabase } from '@shop/shared';
import type { SessionMethods } from './userStore.ts';

interface RefreshRow {
  session_id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  ended_at: string | null;
}

/** Sessions and their refresh tokens in the users' SQLite database. */
export function sessionStatements(db: SqliteDatabase): SessionMethods {
  const insertSession = db.prepare(
    'INSERT INTO sessions (id, user_id, created_at) VALUES (@id, @user_id, @created_at)',
  );
  const active = db.prepare<[string], { found: number }>(
    'SELECT 1 AS found FROM sessions WHERE id = ? AND ended_at IS NULL',
  );
  const endOne = db.prepare('UPDATE sessions SET ended_at = @at WHERE id = @id AND ended_at IS NULL');
  const endAll = db.prepare(
    `UPDATE sessions SET ended_at = @at
     WHERE user_id = @user_id AND ended_at IS NULL AND (@keep IS NULL OR id <> @keep)`,
  );
  const insertRefresh = db.prepare(
    `INSERT INTO refresh_tokens (hash, session_id, user_id, expires_at)
     VALUES (@hash, @session_id, @user_id, @expires_at)`,
  );
  const refreshRow = db.prepare<[string], RefreshRow>(
    `SELECT r.session_id, r.user_id, r.expires_at, r.used_at, s.ended_at
     FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.hash = ?`,
  );
  const spend = db.prepare('UPDATE refresh_tokens SET used_at = @at WHERE hash = @hash AND used_at IS NULL');

  // Read and mark in one transaction: of two concurrent uses, exactly one is `fresh`.
  const spendOnce = db.transaction((hash: string, at: string) => {
    const row = refreshRow.get(hash);
    if (!row) return { outcome: 'unknown' } as const;
    if (row.used_at !== null) return { outcome: 'reused', session_id: row.session_id } as const;
    if (row.ended_at !== null || row.expires_at <= at) return { outcome: 'unknown' } as const;
    spend.run({ hash, at });
    return { outcome: 'fresh', session_id: row.session_id, user_id: row.user_id } as const;
  });

  return {
    async createSession(session) {
      insertSession.run({ ...session, created_at: session.created_at.toISOString() });
    },
    async isSessionActive(id) {
      return active.get(id) !== undefined;
    },
    async endSession(id, at) {
      endOne.run({ id, at: at.toISOString() });
    },
    async endUserSessions(userId, at, keep) {
      endAll.run({ user_id: userId, at: at.toISOString(), keep: keep ?? null });
    },
    async addRefreshToken(token) {
      insertRefresh.run({ ...token, expires_at: token.expires_at.toISOString() });
    },
    async spendRefreshToken(hash, at) {
      return spendOnce(hash, at.toISOString());
    },
  };
}
