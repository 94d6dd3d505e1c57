import { openSqlite, pingSqlite, type SqliteDatabase } from '@shop/shared';
import { MIGRATIONS } from './migrations.ts';
import { accountTokenStatements } from './sqliteAccountTokens.ts';
import { sessionStatements } from './sqliteSessions.ts';
import {
  DuplicateUserError,
  type PreferenceSetting,
  type StoredPreferences,
  type UserRecord,
  type UserStore,
} from './userStore.ts';

interface UserRow {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  created_at: string;
  email_verified_at: string | null;
}

interface PreferenceRow {
  kind: PreferenceSetting['kind'];
  channel: PreferenceSetting['channel'];
  enabled: number;
  updated_at: string;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  email: row.email,
  password_hash: row.password_hash,
  created_at: new Date(row.created_at),
  email_verified_at: row.email_verified_at ? new Date(row.email_verified_at) : null,
});

/** Which unique index refused the row, from SQLite's "UNIQUE constraint failed: users.email". */
function duplicateField(error: unknown): 'email' | 'username' | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' || typeof message !== 'string') return undefined;
  if (message.includes('users.email')) return 'email';
  if (message.includes('users.username')) return 'username';
  return undefined;
}

/** The embedded store: a SQLite file (or `:memory:`) opened with the shared migrations runner. */
export function createSqliteUserStore(path = ':memory:'): UserStore {
  const db: SqliteDatabase = openSqlite(path, MIGRATIONS);
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, email, password_hash, created_at, email_verified_at)
     VALUES (@id, @username, @email, @password_hash, @created_at, @email_verified_at)`,
  );
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  // Each column keeps its value unless a change names it (NULL marks "not given" for the strings;
  // email_verified_at has its own flag, as null is a value it can be set to).
  const updateUser = db.prepare(`
    UPDATE users SET username = coalesce(@username, username), email = coalesce(@email, email),
      password_hash = coalesce(@password_hash, password_hash),
      email_verified_at = CASE WHEN @set_verified = 1 THEN @email_verified_at ELSE email_verified_at END
    WHERE id = @id`);
  const deleteUser = db.prepare('DELETE FROM users WHERE id = ?');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const userExists = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM users WHERE id = ?');
  const preferences = db.prepare<[string], PreferenceRow>(
    'SELECT kind, channel, enabled, updated_at FROM notification_preferences WHERE user_id = ?',
  );
  const upsertPreference = db.prepare(
    `INSERT INTO notification_preferences (user_id, kind, channel, enabled, updated_at)
     VALUES (@user_id, @kind, @channel, @enabled, @updated_at)
     ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
  );
  const setAll = db.transaction((userId: string, settings: PreferenceSetting[], at: string) => {
    if (!userExists.get(userId)) return false;
    for (const s of settings) {
      upsertPreference.run({
        user_id: userId,
        kind: s.kind,
        channel: s.channel,
        enabled: s.enabled ? 1 : 0,
        updated_at: at,
      });
    }
    return true;
  });

  return {
    kind: 'sqlite',
    async insertUser(user) {
      try {
        insertUser.run({
          id: user.id,
          username: user.username,
          email: user.email.toLowerCase(),
          password_hash: user.password_hash,
          created_at: user.created_at.toISOString(),
          email_verified_at: user.email_verified_at?.toISOString() ?? null,
        });
      } catch (error) {
        const field = duplicateField(error);
        if (field) throw new DuplicateUserError(field);
        throw error;
      }
    },
    async findById(id) {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    async findByEmail(email) {
      const row = byEmail.get(email.toLowerCase());
      return row && toRecord(row);
    },
    async findByUsername(username) {
      const row = byUsername.get(username);
      return row && toRecord(row);
    },
    async updateUser(id, changes) {
      try {
        const result = updateUser.run({
          id,
          username: changes.username ?? null,
          email: changes.email?.toLowerCase() ?? null,
          password_hash: changes.password_hash ?? null,
          set_verified: changes.email_verified_at === undefined ? 0 : 1,
          email_verified_at: changes.email_verified_at?.toISOString() ?? null,
        });
        return result.changes === 1;
      } catch (error) {
        const field = duplicateField(error);
        if (field) throw new DuplicateUserError(field);
        throw error;
      }
    },
    async deleteUser(id) {
      // Preferences, sessions (with their refresh tokens) and account tokens go by ON DELETE CASCADE.
      deleteUser.run(id);
    },
    ...sessionStatements(db),
    ...accountTokenStatements(db),
    async getPreferences(userId): Promise<StoredPreferences | undefined> {
      if (!userExists.get(userId)) return undefined;
      const rows = preferences.all(userId);
      const latest = rows.reduce<string | null>(
        (max, r) => (max && max > r.updated_at ? max : r.updated_at),
        null,
      );
      return {
        settings: rows.map((r) => ({ kind: r.kind, channel: r.channel, enabled: r.enabled === 1 })),
        updated_at: latest ? new Date(latest) : null,
      };
    },
    async setPreferences(userId, settings, at) {
      return setAll(userId, settings, at.toISOString());
    },
    async ping() {
      pingSqlite(db);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
