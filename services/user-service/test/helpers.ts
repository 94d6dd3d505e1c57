import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import express, { type Response } from 'express';
import request from 'supertest';
import { afterEach } from 'vitest';
import type { RunningServer } from '@shop/shared';
import { captureLogs, listen, testEnv, waitUntil } from '@shop/shared/testing';
import { createApp } from '../src/app.ts';
import { readConfig, type Config } from '../src/config.ts';
import type { UserStore } from '../src/data/userStore.ts';
import { buildDependencies } from '../src/dependencies.ts';

/** A URL where nothing listens: a port the OS just handed out and took back. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Variables a test sets, as it would in the environment. */
export type TestVariables = Partial<Record<keyof Config, string | number>>;

/**
 * The real app, built as main.ts builds it, over a real (in-memory) SQLite store unless a store is
 * given: cheap bcrypt, limiters off and the welcome call aimed where nothing listens, unless a test
 * says otherwise. The caller closes the store.
 */
export async function buildApp(variables: TestVariables = {}, store?: UserStore) {
  const config = readConfig(
    testEnv('user-service', {
      USER_DB_PATH: ':memory:',
      BCRYPT_COST: 4,
      USER_LOGIN_RATE_LIMIT: 0,
      USER_REGISTER_RATE_LIMIT: 0,
      USER_LOGIN_ACCOUNT_FAILURE_LIMIT: 0,
      NOTIFICATION_SERVICE_URL: await refusedUrl(),
      ...variables,
    }),
  );
  const { logger, lines } = captureLogs('user-service');
  const deps = await buildDependencies(config, { logger, store });
  return { app: createApp(deps), store: deps.store, lines };
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

interface Received {
  body: unknown;
  authorization: string | undefined;
  requestId: string | undefined;
}

/** A stand-in notification-service on a real port that records what it is asked. */
export async function notificationRecorder(mode: 'answer' | 'hang') {
  const received: Received[] = [];
  const verified: { user_id: string }[] = [];
  const pending: Response[] = [];
  const app = express();
  app.use(express.json());
  app.post('/api/notify/address-verified', (req, res) => {
    verified.push(req.body as { user_id: string });
    res.json({ released: 0 });
  });
  app.post('/api/notify', (req, res) => {
    received.push({
      body: req.body,
      authorization: req.get('authorization'),
      requestId: req.get('x-request-id'),
    });
    if (mode === 'hang') pending.push(res);
    else res.status(202).json({ notification_id: randomUUID(), status: 'queued' });
  });
  const server = await listen(app);
  return { server, received, pending, verified };
}

/** A mail request as the stand-in notification-service received it. */
export interface MailBody {
  user_id: string;
  type: string;
  reference?: string;
  address?: string;
  action?: { url: string; code?: string };
}

/**
 * For a test file: the user-service with its mail requests recorded by a stand-in
 * notification-service that answers them or leaves them hanging (`mode`); what a mail would carry is
 * read from them. Both are closed after each test.
 */
export function useRecordedService() {
  let server: RunningServer | undefined;
  let store: UserStore | undefined;
  afterEach(async () => {
    await server?.close();
    await store?.close();
    server = store = undefined;
  });
  return async (variables: TestVariables = {}, mode: 'answer' | 'hang' = 'answer') => {
    const recorder = await notificationRecorder(mode);
    server = recorder.server;
    const built = await buildApp({ NOTIFICATION_SERVICE_URL: recorder.server.url, ...variables });
    store = built.store;
    const mails = () => recorder.received.map((r) => r.body as MailBody);
    return { ...built, recorder, mails };
  };
}
