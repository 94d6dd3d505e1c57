import { createServer } from 'node:net';
import request from 'supertest';
import { captureLogs, testKeys, waitUntil } from '@shop/shared/testing';
import { createApp, createSqliteUserStore } from '../src/app.ts';
import type { UserServiceConfig } from '../src/config.ts';
import type { UserStore } from '../src/data/userStore.ts';

/** A URL where nothing listens: a port the OS just handed out and took back. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * The real app over a real (in-memory) SQLite store, with cheap bcrypt, limiters off and the
 * welcome call aimed where nothing listens, unless a test says otherwise.
 */
export async function buildApp(config: Partial<UserServiceConfig> = {}, store?: UserStore) {
  const { logger, lines } = captureLogs('user-service');
  const usedStore = store ?? createSqliteUserStore(':memory:');
  const app = createApp({
    store: usedStore,
    keys: testKeys,
    logger,
    config: {
      BCRYPT_COST: 4,
      USER_LOGIN_RATE_LIMIT: 0,
      USER_REGISTER_RATE_LIMIT: 0,
      NOTIFICATION_SERVICE_URL: await refusedUrl(),
      ...config,
    },
  });
  return { app, store: usedStore, lines };
}

let counter = 0;
/** Valid, distinct registration details. */
export function newUser(overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  counter += 1;
  const tag = `${process.pid}x${counter}`;
  return {
    username: `user${tag}`,
    email: `user${tag}@example.com`,
    password: 'Correct-horse-42',
    ...overrides,
  };
}

type App = Awaited<ReturnType<typeof buildApp>>['app'];

/** Registers a user through the API and returns the created user (throws on anything but 201). */
export async function register(app: App, details = newUser()) {
  const res = await request(app).post('/api/user').send(details);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
  return { ...details, id: res.body.id as string, res };
}

/** Polls `check` until it is true, for at most `timeoutMs`. */
export const waitFor = async (check: () => boolean, timeoutMs = 3000): Promise<void> => {
  await waitUntil(check, { timeoutMs });
};

/** A hand-made unsigned token (`alg: none`) claiming to be `userId`. */
export function unsignedToken(userId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({
    typ: 'user',
    sub: userId,
    aud: 'shop-api',
    iss: 'shop-user-service',
    iat: now,
    exp: now + 600,
  })}.`;
}
