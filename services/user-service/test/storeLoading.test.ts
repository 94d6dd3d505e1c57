import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tsxArgs } from '@shop/shared';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Opens the store in a fresh process (this one has mongoose loaded by other tests) and reports. */
function openStore(env: Record<string, string>): { store: string; mongoose: boolean } {
  const run = spawnSync(process.execPath, tsxArgs('test/fixtures/openStoreModules.ts'), {
    cwd: serviceDir,
    env: { PATH: process.env.PATH, USER_DB_PATH: ':memory:', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { store: string; mongoose: boolean };
}

// mongoose and its driver take about 30 MB of RSS once loaded: a service on SQLite should not carry them.
describe('which store code start-up loads', () => {
  it('without MONGODB_URI, the SQLite store opens and mongoose is never loaded', () => {
    expect(openStore({})).toEqual({ store: 'sqlite', mongoose: false });
  });

  it('with MONGODB_URI, mongoose is loaded and its refusal of the URI stops start-up without echoing the password', () => {
    const result = openStore({ MONGODB_URI: 'mongodb://ann:s3cret@127.0.0.1:1/shop?tls=maybe' });
    expect(result.mongoose).toBe(true);
    expect(result.store).toMatch(/^refused: Cannot use MONGODB_URI: MongoDB at 127\.0\.0\.1:1 failed \(/);
    expect(result.store).not.toContain('s3cret');
  });
});
