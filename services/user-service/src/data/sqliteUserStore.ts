import { openSqlite, pingSqlite, type SqliteDatabase } from '@shop/shared';
import { MIGRATIONS } from './migrations.ts';
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
    `INSERT INTO users (id, username, email, password_hash, created_at)
     VALUES (@id, @username, @email, @password_hash, @created_at)`,
  );
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
