import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateDevKeys } from '@shop/shared';

const run = promisify(execFile);
const mainOf = (service: string) =>
  fileURLToPath(new URL(`../../services/${service}/dist/main.js`, import.meta.url));

/** Only what a test gives: no .env file, production, a port nobody uses, throw-away databases. */
const productionEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  SHOP_ENV_FILE: 'none',
  NODE_ENV: 'production',
  NOTIFICATION_SERVICE_PORT: '0',
  NOTIFICATION_DB_PATH: ':memory:',
  PAYMENT_SERVICE_PORT: '0',
  PAYMENT_DB_PATH: ':memory:',
  ORDER_SERVICE_PORT: '0',
  ORDER_DB_PATH: ':memory:',
  ...env,
});

/** Starts a compiled service as production would, with only `env`; answers how it ended. */
async function startInProduction(env: Record<string, string>, service = 'notification-service') {
  try {
    await run(process.execPath, [mainOf(service)], { env: productionEnv(env), timeout: 20_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    return { code: code ?? -1, stderr: stderr ?? '' };
  }
}

describe('production never falls back to the Gmail sandbox', () => {
  it('when NODE_ENV=production and no Gmail credentials are set, the notification-service refuses to start with a line naming GMAIL_CLIENT_ID', async () => {
    const ended = await startInProduction({});
    expect(ended.code).not.toBe(0);
    expect(ended.stderr).toMatch(/Invalid configuration: .*GMAIL_CLIENT_ID must be set in production/);
  });

  it('when NODE_ENV=production with credentials but no GMAIL_SENDER, it refuses to start naming GMAIL_SENDER', async () => {
    const ended = await startInProduction({
      GMAIL_CLIENT_ID: 'id.apps.googleusercontent.com',
      GMAIL_CLIENT_SECRET: 'secret',
      GMAIL_REFRESH_TOKEN: '1//refresh',
    });
    expect(ended.code).not.toBe(0);
    expect(ended.stderr).toMatch(/GMAIL_SENDER must be set with real Gmail credentials/);
    expect(ended.stderr).not.toMatch(/GMAIL_CLIENT_ID must be set/);
  });
});

describe('real Stripe money is never guarded by the sandbox', () => {
  it('when NODE_ENV=production and no Stripe key is set, the payment-service refuses to start (no sandbox fallback) naming STRIPE_SECRET_KEY', async () => {
    const ended = await startInProduction({}, 'payment-service');
    expect(ended.code).not.toBe(0);
    expect(ended.stderr).toMatch(/Invalid configuration: .*STRIPE_SECRET_KEY must be set in production/);
  });

  it("when a real Stripe test key is set with the sandbox's published webhook secret, the payment-service refuses to start even in development, naming STRIPE_WEBHOOK_SECRET", async () => {
    const ended = await startInProduction(
      { NODE_ENV: 'development', STRIPE_SECRET_KEY: 'sk_test_51RealLookingKey' },
      'payment-service',
    );
    expect(ended.code).not.toBe(0);
    expect(ended.stderr).toMatch(/Invalid configuration: .*STRIPE_WEBHOOK_SECRET/);
  });
});

describe('/metrics is not public in production', () => {
  const keys = generateDevKeys();
  const orderServiceKeys = {
    JWT_PUBLIC_KEY: keys.publicKey,
    SERVICE_SIGNING_KEY: keys.services['order-service'].privateKey,
    PAYMENT_SERVICE_PUBLIC_KEY: keys.services['payment-service'].publicKey,
    NOTIFICATION_SERVICE_PUBLIC_KEY: keys.services['notification-service'].publicKey,
  };

  /** Runs the compiled order-service in production until `check` is done with its URL. */
  async function withOrderService(env: Record<string, string>, check: (url: string) => Promise<void>) {
    const child = spawn(process.execPath, [mainOf('order-service')], {
      env: productionEnv({ ...orderServiceKeys, ...env }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`order-service exited (${code}) before listening`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (line.includes('"listening"')) resolve(JSON.parse(line).url as string);
        });
      });
      await check(url);
    } finally {
      child.kill('SIGTERM');
    }
  }

  it('when NODE_ENV=production and no METRICS_TOKEN is set, GET /metrics answers 404 and no counts', async () => {
    await withOrderService({}, async (url) => {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('http_requests_total');
    });
  });

  it('with METRICS_TOKEN set, GET /metrics answers 401 without that bearer token and the counts with it', async () => {
    const token = 'p'.repeat(16) + '-metrics-token-for-prometheus';
    await withOrderService({ METRICS_TOKEN: token }, async (url) => {
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('http_requests_total');
    });
  });
});
