import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_ENV_FILE, fillLocalUrls, loadEnvFile } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function envFile(text: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(file, text);
  return file;
}

describe('loadEnvFile', () => {
  it('when no file is named, it reads .env at the repo root, wherever the process started', () => {
    expect(DEFAULT_ENV_FILE).toBe(join(import.meta.dirname, '../../.env'));
  });

  it('when the file sets a variable the environment lacks, the file fills it; the environment wins otherwise', () => {
    const env: NodeJS.ProcessEnv = {
      SHOP_ENV_FILE: envFile('LOG_LEVEL=debug\nHOST=0.0.0.0\nJWT_PUBLIC_KEY="-----BEGIN\\nKEY"\n'),
      HOST: '127.0.0.1',
    };
    expect(loadEnvFile(env)).toBe(env.SHOP_ENV_FILE);
    expect(env).toMatchObject({ LOG_LEVEL: 'debug', HOST: '127.0.0.1', JWT_PUBLIC_KEY: '-----BEGIN\nKEY' });
  });

  it('when SHOP_ENV_FILE is none, no file is read but the URLs are still derived', () => {
    const env: NodeJS.ProcessEnv = { SHOP_ENV_FILE: 'none', ORDER_SERVICE_PORT: '4002' };
    expect(loadEnvFile(env)).toBeUndefined();
    expect(env.ORDER_SERVICE_URL).toBe('http://127.0.0.1:4002');
  });

  it('when SHOP_ENV_FILE names a file that is missing, one line names the variable', () => {
    const env = { SHOP_ENV_FILE: join(dir, 'missing.env') };
    expect(() => loadEnvFile(env)).toThrow(ConfigError);
    expect(() => loadEnvFile(env)).toThrow(
      /^Invalid configuration: SHOP_ENV_FILE cannot be read \(got ".*missing\.env": ENOENT\)$/,
    );
  });
});

describe('fillLocalUrls', () => {
  it('when only ports are set, every URL points at them on loopback, the Stripe and Gmail APIs at the sandboxes', () => {
    const env = fillLocalUrls({
      USER_SERVICE_PORT: '4001',
      PAYMENT_SERVICE_PORT: '4003',
      STRIPE_SANDBOX_PORT: '14111',
    });
    expect(env).toMatchObject({
      USER_SERVICE_URL: 'http://127.0.0.1:4001',
      ORDER_SERVICE_URL: 'http://127.0.0.1:3002',
      PAYMENT_SERVICE_URL: 'http://127.0.0.1:4003',
      NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:3004',
      STRIPE_SANDBOX_URL: 'http://127.0.0.1:14111',
      GMAIL_SANDBOX_URL: 'http://127.0.0.1:8025',
      STRIPE_API_URL: 'http://127.0.0.1:14111',
      GMAIL_API_URL: 'http://127.0.0.1:8025',
      STRIPE_SANDBOX_WEBHOOK_URL: 'http://127.0.0.1:4003/api/webhooks/stripe',
    });
  });

  it('when URLs are set, they win over the ports', () => {
    const env = fillLocalUrls({ USER_SERVICE_PORT: '4001', USER_SERVICE_URL: 'http://users.internal:3001' });
    expect(env.USER_SERVICE_URL).toBe('http://users.internal:3001');
  });

  it('when real Stripe and Gmail credentials are set, their API URLs are left to the services', () => {
    const env = fillLocalUrls({
      STRIPE_SECRET_KEY: 'sk_test_x',
      GMAIL_CLIENT_ID: 'id',
      GMAIL_CLIENT_SECRET: 'secret',
      GMAIL_REFRESH_TOKEN: 'token',
    });
    expect(env.STRIPE_API_URL).toBeUndefined();
    expect(env.GMAIL_API_URL).toBeUndefined();
  });
});
