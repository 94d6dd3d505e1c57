import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, tsxArgs } from '@shop/shared';
import { readConfig } from '../src/config.ts';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function configError(env: Record<string, string>): string {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('when nothing is set, the defaults work on a dev machine', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      USER_SERVICE_PORT: 3001,
      HOST: '127.0.0.1',
      BCRYPT_COST: 10,
      JWT_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 2_592_000,
      USER_LOGIN_RATE_LIMIT: 20,
      USER_REGISTER_RATE_LIMIT: 10,
      USER_RATE_LIMIT_WINDOW_MS: 60_000,
      NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:3004',
      WELCOME_MAIL_TIMEOUT_MS: 2000,
    });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.USER_DB_PATH).toMatch(/[/\\]\.data[/\\]user-service\.sqlite$/);
  });

  it('when MONGODB_URI is empty, it counts as unset (SQLite is used)', () => {
    expect(readConfig({ MONGODB_URI: '' }).MONGODB_URI).toBeUndefined();
  });

  it.each([
    [{ USER_SERVICE_PORT: 'abc' }, 'USER_SERVICE_PORT must be a whole number from 0 to 65535 (got "abc")'],
    [{ BCRYPT_COST: '3' }, 'BCRYPT_COST must be a whole number from 4 to 15 (got "3")'],
    [{ BCRYPT_COST: '16' }, 'BCRYPT_COST must be a whole number from 4 to 15 (got "16")'],
    [{ NODE_ENV: 'production', BCRYPT_COST: '4' }, 'BCRYPT_COST must be at least 10 in production (got "4")'],
    [{ JWT_TTL_SECONDS: '10' }, 'JWT_TTL_SECONDS must be a whole number from 60 to 3600 (got "10")'],
    [{ USER_LOGIN_RATE_LIMIT: '-1' }, 'USER_LOGIN_RATE_LIMIT must be a whole number'],
    [{ NOTIFICATION_SERVICE_URL: 'localhost:3004' }, 'NOTIFICATION_SERVICE_URL must be an http(s) URL'],
    [{ WELCOME_MAIL_TIMEOUT_MS: '0' }, 'WELCOME_MAIL_TIMEOUT_MS must be a whole number from 100 to 120000'],
  ])('when %o is set, loading stops with a line naming it', (env, expected) => {
    const message = configError(env);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('when the service is started with USER_SERVICE_PORT=abc, it exits 1 after one clear line', () => {
    const run = spawnSync(process.execPath, tsxArgs('src/main.ts'), {
      cwd: serviceDir,
      env: {
        PATH: process.env.PATH,
        USER_SERVICE_PORT: 'abc',
        USER_DB_PATH: ':memory:',
        SHOP_ENV_FILE: 'none',
      },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: USER_SERVICE_PORT must be a whole number from 0 to 65535 (got "abc")',
    ]);
  });
});
