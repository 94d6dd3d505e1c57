import { randomUUID } from 'node:crypto';
import { createConnection, mongo } from 'mongoose';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, DependencyError } from '@shop/shared';
import { bearer, userToken } from '@shop/shared/testing';
import { EMAIL_INDEX, USERNAME_INDEX, userModel } from '../src/data/mongoUserModel.ts';
import { isConnectionLoss, unavailableWhenDisconnected } from '../src/data/mongoConnectionLoss.ts';
import { duplicateField, openMongoUserStore } from '../src/data/mongoUserStore.ts';
import { openUserStore } from '../src/data/openUserStore.ts';
import { buildApp, refusedUrl } from './helpers.ts';

// What can be checked without a MongoDB server; the full contract runs in store.test.ts with MONGODB_URI.
describe('MongoDB store, without a server', () => {
  const Users = userModel(createConnection());

  it('declares a unique email index and a case-insensitive unique username index', () => {
    const indexes = Users.schema.indexes();
    expect(indexes).toContainEqual([
      { email: 1 },
      expect.objectContaining({ unique: true, name: EMAIL_INDEX }),
    ]);
    expect(indexes).toContainEqual([
      { username: 1 },
      expect.objectContaining({
        unique: true,
        name: USERNAME_INDEX,
        collation: { locale: 'en', strength: 2 },
      }),
    ]);
  });

  it('accepts a UUID string as _id, lowercases the email and keeps only declared preference paths', async () => {
    const doc = new Users({
      _id: randomUUID(),
      username: 'Ann',
      email: 'Ann@Example.COM',
      password_hash: '$2b$04$hash',
      created_at: new Date(),
      preferences: { welcome: { email: false, pigeon: true }, newsletter: { email: true } },
    });
    await expect(doc.validate()).resolves.toBeUndefined();
    expect(doc.email).toBe('ann@example.com');
    expect(doc.toObject().preferences).toEqual({ welcome: { email: false } });
  });

  it('maps a duplicate-key error to the field of the index that refused it', () => {
    const error = (index: string, keyPattern?: object) =>
      new mongo.MongoServerError({
        message: `E11000 duplicate key error collection: shop.users index: ${index} dup key: { x: "y" }`,
        code: 11000,
        ...(keyPattern ? { keyPattern } : {}),
      });
    expect(duplicateField(error(EMAIL_INDEX, { email: 1 }))).toBe('email');
    expect(duplicateField(error(USERNAME_INDEX, { username: 1 }))).toBe('username');
    expect(duplicateField(error(USERNAME_INDEX))).toBe('username'); // older servers: only the message
    expect(duplicateField(new mongo.MongoServerError({ message: 'other', code: 2 }))).toBeUndefined();
  });

  it('when no server answers, opening fails instead of hanging', async () => {
    const uri = (await refusedUrl()).replace('http://', 'mongodb://');
    await expect(openMongoUserStore(uri, { serverSelectionTimeoutMs: 300 })).rejects.toThrow();
  });

  it('when MONGODB_URI has another scheme, start-up stops with one line that does not echo the value', async () => {
    const attempt = openUserStore({
      MONGODB_URI: 'postgres://admin:s3cret@db/shop',
      USER_DB_PATH: ':memory:',
    });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/^Invalid configuration: MONGODB_URI must start with mongodb:\/\//);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});

/** A Mongo store whose server went away: every call fails as the driver does (insertUser with a bug). */
function disconnectedStore() {
  const failing = (error: Error) => async () => {
    throw error;
  };
  const lost = () => failing(new mongo.MongoNetworkError('connection reset'));
  return unavailableWhenDisconnected({
    kind: 'mongodb',
    insertUser: failing(new TypeError('bug')),
    findById: lost(),
    findByEmail: lost(),
    findByUsername: lost(),
    updateUser: lost(),
    deleteUser: lost(),
    getPreferences: lost(),
    setPreferences: lost(),
    createSession: lost(),
    isSessionActive: lost(),
    endSession: lost(),
    endUserSessions: lost(),
    addRefreshToken: lost(),
    spendRefreshToken: lost(),
    createAccountToken: lost(),
    findAccountTokenByHash: lost(),
    findOpenAccountToken: lost(),
    recordWrongCode: lost(),
    useAccountToken: lost(),
    ping: lost(),
    close: async () => undefined,
  });
}

describe('MongoDB store, when the server goes away', () => {
  it.each([
    ['a network error', new mongo.MongoNetworkError('connection reset')],
    ['no connection', new mongo.MongoNotConnectedError('not connected')],
    ['a closed topology', new mongo.MongoTopologyClosedError()],
  ])('%s counts as the store being unavailable', (_name, error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it('a duplicate key or any other error does not', () => {
    expect(isConnectionLoss(Object.assign(new Error('E11000'), { code: 11000 }))).toBe(false);
    expect(isConnectionLoss(new TypeError('bug'))).toBe(false);
  });

  it('a store call that loses the connection throws DependencyError store_unavailable, other failures pass through', async () => {
    const store = disconnectedStore();
    const lost = store.findById(randomUUID());
    await expect(lost).rejects.toBeInstanceOf(DependencyError);
    await expect(lost).rejects.toMatchObject({ code: 'store_unavailable', kind: 'unavailable' });
    await expect(store.insertUser({} as never)).rejects.toBeInstanceOf(TypeError);
  });

  it('a request that finds the connection lost answers 503 store_unavailable, to be repeated later', async () => {
    const { app } = await buildApp({}, disconnectedStore());
    const userId = randomUUID();
    const res = await request(app)
      .get(`/api/user/${userId}`)
      .set(bearer(userToken(userId)));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 503, code: 'store_unavailable' });
  });
});
