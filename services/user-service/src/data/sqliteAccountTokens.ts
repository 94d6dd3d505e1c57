import type { SqliteDatabase } from '@shop/shared';
import type { AccountTokenMethods, AccountTokenRecord } from './userStore.ts';

type Row = Omit<AccountTokenRecord, 'expires_at' | 'used_at' | 'created_at'> & {
  expires_at: string;
  used_at: string | null;
  created_at: string;
};

const toRecord = (row: Row): AccountTokenRecord => ({
  ...row,
  expires_at: new Date(row.expires_at),
  used_at: row.used_at ? new Date(row.used_at) : null,
  created_at: new Date(row.created_at),
});

/** Mailed proofs (verification, reset) in the users' SQLite database. */
export function accountTokenStatements(db: SqliteDatabase): AccountTokenMethods {
  const insert = db.prepare(
    `INSERT INTO account_tokens (id, user_id, purpose, email, token_hash, code_hash, wrong_codes, expires_at, created_at)
     VALUES (@id, @user_id, @purpose, @email, @token_hash, @code_hash, @wrong_codes, @expires_at, @created_at)`,
  );
  // A voided proof counts as used: it can never be used again.
  const voidOpen = db.prepare(
    `UPDATE account_tokens SET used_at = @at WHERE user_id = @user_id AND purpose = @purpose AND used_at IS NULL`,
  );
  const byHash = db.prepare<[string], Row>('SELECT * FROM account_tokens WHERE token_hash = ?');
  const open = db.prepare<[string, string], Row>(
    `SELECT * FROM account_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL
     ORDER BY created_at DESC LIMIT 1`,
  );
  const wrong = db.prepare<[string], { wrong_codes: number }>(
    'UPDATE account_tokens SET wrong_codes = wrong_codes + 1 WHERE id = ? RETURNING wrong_codes',
  );
  const use = db.prepare('UPDATE account_tokens SET used_at = @at WHERE id = @id AND used_at IS NULL');
  const create = db.transaction((token: AccountTokenRecord) => {
    voidOpen.run({ user_id: token.user_id, purpose: token.purpose, at: token.created_at.toISOString() });
    insert.run({
      ...token,
      expires_at: token.expires_at.toISOString(),
      created_at: token.created_at.toISOString(),
    });
  });

  return {
    async createAccountToken(token) {
      create(token);
    },
    async findAccountTokenByHash(tokenHash) {
      const row = byHash.get(tokenHash);
      return row && toRecord(row);
    },
    async findOpenAccountToken(userId, purpose) {
      const row = open.get(userId, purpose);
      return row && toRecord(row);
    },
    async recordWrongCode(id) {
      return wrong.get(id)?.wrong_codes ?? 0;
    },
    async useAccountToken(id, at) {
      return use.run({ id, at: at.toISOString() }).changes === 1;
    },
  };
}
