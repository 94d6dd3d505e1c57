import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { openMongoUserStore } from '../src/data/mongoUserStore.ts';
import { createSqliteUserStore } from '../src/data/sqliteUserStore.ts';
import { storeContract } from './storeContract.ts';

const MONGO_SKIP_TITLE = 'MongoDB store contract skipped: set MONGODB_URI to run it';

const tempDir = mkdtempSync(join(tmpdir(), 'user-store-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

storeContract('SQLite store (in memory)', async () => createSqliteUserStore(':memory:'));
storeContract('SQLite store (file)', async () =>
  createSqliteUserStore(join(tempDir, `${randomUUID()}.sqlite`)),
);

describe('SQLite store specifics', () => {
  it('when the file is closed and opened again, the users are still there', async () => {
    const path = join(tempDir, 'reopen.sqlite');
    const first = createSqliteUserStore(path);
    const user = {
      id: randomUUID(),
      username: 'persisted',
      email: 'persisted@example.com',
      password_hash: '$2b$04$hash',
      created_at: new Date('2025-03-04T05:06:07.000Z'),
      email_verified_at: null,
    };
    await first.insertUser(user);
    await first.close();
    const second = createSqliteUserStore(path);
    expect(await second.findById(user.id)).toEqual(user);
    await second.close();
  });

  it('when the store is closed, ping fails (so /ready reports 503)', async () => {
    const store = createSqliteUserStore(':memory:');
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});

const mongoUri = process.env.MONGODB_URI;
if (mongoUri) {
  let dbName = '';
  storeContract(
    'MongoDB store',
    async () => {
      dbName = `user_service_contract_${randomUUID().slice(0, 8)}`;
      return openMongoUserStore(mongoUri, { dbName });
    },
    async () => {
      const connection = await createConnection(mongoUri, { dbName }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    },
  );
} else {
  console.warn(`[user-service] ${MONGO_SKIP_TITLE}`);
  describe.skip(MONGO_SKIP_TITLE, () => {
    it('runs the same store contract against MongoDB', () => {});
  });
}
