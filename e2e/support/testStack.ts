import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDevKeys, PUBLIC_KEY_VARIABLES, type DevKeys } from '@shop/shared';
import { SERVICE_NAMES } from '@shop/shared/contracts';
import { DEFAULT_PORTS, type Ports, type ProcessName } from '../../scripts/stack/processes.ts';
import { startStack, type Runtime, type Stack } from '../../scripts/stack/startStack.ts';
import { freePorts } from './freePorts.ts';

export interface TestStack {
  stack: Stack;
  /** The keys the processes run with: tests mint (and forge) tokens with them. */
  keys: DevKeys;
  url(name: ProcessName): string;
  /** Every output line of every process, prefixed with its name: for checks over the logs. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The whole system for a test: the real start-up code (scripts/stack) on free ports, with keys of
 * its own (each service given only its own signing key, as in production), databases in a temp folder,
 * short retry intervals and no rate limits or mail caps (the caps on declined cards stay at their defaults). It runs the
 * compiled services, as production does (the projects' globalSetup builds them).
 */
export async function startTestStack(
  extraEnv: Record<string, string> = {},
  runtime: Runtime = 'compiled',
): Promise<TestStack> {
  const names = Object.keys(DEFAULT_PORTS) as ProcessName[];
  const allocated = await freePorts(names.length);
  const ports = Object.fromEntries(names.map((name, i) => [name, allocated[i]])) as Ports;
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-e2e-'));
  const keys = generateDevKeys();
  const logs: string[] = [];
  const stack = await startStack({
    ports,
    runtime,
    onLine: (name, line) => logs.push(`${name} | ${line}`),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      JWT_PRIVATE_KEY: keys.privateKey,
      JWT_PUBLIC_KEY: keys.publicKey,
      ...Object.fromEntries(
        SERVICE_NAMES.map((name) => [PUBLIC_KEY_VARIABLES[name], keys.services[name].publicKey]),
      ),
      USER_DB_PATH: join(dataDir, 'users.sqlite'),
      ORDER_DB_PATH: join(dataDir, 'orders.sqlite'),
      PAYMENT_DB_PATH: join(dataDir, 'payments.sqlite'),
      NOTIFICATION_DB_PATH: join(dataDir, 'notifications.sqlite'),
      BCRYPT_COST: '4',
      USER_LOGIN_RATE_LIMIT: '0',
      USER_REGISTER_RATE_LIMIT: '0',
      USER_LOGIN_ACCOUNT_FAILURE_LIMIT: '0',
      ORDER_CREATE_RATE_LIMIT: '0',
      ORDER_CREATE_ADDRESS_RATE_LIMIT: '0',
      PAYMENT_RATE_LIMIT: '0',
      PAYMENT_ADDRESS_RATE_LIMIT: '0',
      PAYMENT_WORKER_INTERVAL_MS: '200',
      PAYMENT_RETRY_BASE_MS: '200',
      NOTIFY_WORKER_INTERVAL_MS: '200',
      NOTIFY_RETRY_BASE_MS: '200',
      ORDER_MAIL_WORKER_INTERVAL_MS: '200',
      ORDER_MAIL_RETRY_BASE_MS: '200',
      // No per-recipient mail cap either: load and soak runs send one user hundreds of receipts
      // (the cap is tested in the notification-service's own suite, with the real user-service).
      NOTIFY_RECIPIENT_HOURLY_CAP: '0',
      // Real credentials in the developer's shell must not leak into tests.
      STRIPE_SECRET_KEY: '',
      STRIPE_WEBHOOK_SECRET: '',
      GMAIL_CLIENT_ID: '',
      GMAIL_CLIENT_SECRET: '',
      GMAIL_REFRESH_TOKEN: '',
      MONGODB_URI: '',
      ...extraEnv,
    },
    envByProcess: Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, { SERVICE_SIGNING_KEY: keys.services[name].privateKey }]),
    ),
  });
  return {
    stack,
    keys,
    url: (name) => stack.url(name),
    logs,
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
