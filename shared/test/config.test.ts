import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  baseEnv,
  envPort,
  envUrl,
  loadConfig,
  loadOrCreateDevKeys,
  openDatabaseSetting,
  openSqlite,
} from '../src/index.ts';

const schema = z.object({ ...baseEnv, PORT: envPort(3000), UPSTREAM_URL: envUrl('http://127.0.0.1:1') });

describe('config', () => {
  it('when everything is valid or defaulted, the typed config comes back', () => {
    const config = loadConfig(schema, { PORT: '3100', UPSTREAM_URL: 'http://example.test/' });
    expect(config).toMatchObject({ PORT: 3100, HOST: '127.0.0.1', UPSTREAM_URL: 'http://example.test' });
  });

  it('when PORT is not a number, one line names the variable and what it got', () => {
    const error = (() => {
      try {
        loadConfig(schema, { PORT: 'abc' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "abc")',
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('TRUST_PROXY is off by default and takes a hop count or a list of proxy subnets; true is refused', () => {
    const proxy = (value?: string) =>
      loadConfig(schema, value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;
    expect(proxy()).toBe(false);
    expect(proxy('1')).toBe(1);
    expect(proxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => proxy('true')).toThrow(
      /^Invalid configuration: TRUST_PROXY must be false, a hop count from 1 to 10/,
    );
    expect(() => proxy('my proxy')).toThrow(/TRUST_PROXY must be false, a hop count/);
  });

  it('when several variables are bad, all are named on the one line', () => {
    expect(() => loadConfig(schema, { PORT: '70000', LOG_LEVEL: 'loud' })).toThrow(
      /PORT .*; LOG_LEVEL|LOG_LEVEL .*; PORT/,
    );
  });

  it('when several processes create the dev keys at once, they all end up with the same keys', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys', 'dev-keys.json');
    const script = `import { loadOrCreateDevKeys } from ${JSON.stringify(new URL('../src/auth/devKeys.ts', import.meta.url).pathname)};
      process.stdout.write(loadOrCreateDevKeys(${JSON.stringify(file)}).services['payment-service'].privateKey);`;
    const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
    const runs = Array.from({ length: 3 }, () => execFileSync(tsx, ['-e', script], { encoding: 'utf8' }));
    expect(existsSync(file)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(new Set(runs)).toEqual(new Set([written.services['payment-service'].privateKey]));
    expect(loadOrCreateDevKeys(file).services['payment-service'].privateKey).toBe(runs[0]);
  });
});

describe('config errors never print secrets', () => {
  it('when a secret is too short, the line names it but hides its value', () => {
    const withSecret = z.object({
      GMAIL_CLIENT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    });
    expect(() => loadConfig(withSecret, { GMAIL_CLIENT_SECRET: 'hunter2' })).toThrow(
      'Invalid configuration: GMAIL_CLIENT_SECRET must be at least 32 characters (value hidden)',
    );
  });
});

describe('opening a database at start-up', () => {
  it('when the path cannot be opened, one config line names the variable and the path', () => {
    expect(() =>
      openDatabaseSetting('ORDER_DB_PATH', '/dev/null/orders.sqlite', (p) => openSqlite(p, [])),
    ).toThrow(
      /^Invalid configuration: ORDER_DB_PATH cannot be opened as a SQLite database \(got "\/dev\/null\/orders.sqlite": /,
    );
  });

  it('when the path is usable, the opened store comes back', () => {
    const db = openDatabaseSetting('ORDER_DB_PATH', ':memory:', (p) => openSqlite(p, ['CREATE TABLE t (x)']));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });
});
