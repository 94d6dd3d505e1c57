import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyToken } from '@shop/shared';
import { testAuthKeys, testKeys } from '@shop/shared/testing';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const script = (args: string[], env: Record<string, string>) =>
  run(
    process.execPath,
    ['--conditions=@shop/source', '--import', 'tsx', 'scripts/serviceToken.ts', ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SHOP_ENV_FILE: 'none', ...env },
    },
  );

describe('pnpm service-token', () => {
  it("when asked for the notification-service's own token, it prints one the notification-service accepts as its own", async () => {
    const { stdout } = await script(['notification-service', 'notification-service'], {
      SERVICE_SIGNING_KEY: testKeys.services['notification-service'].privateKey,
    });
    const principal = verifyToken(testAuthKeys('notification-service'), stdout.trim());
    expect(principal).toEqual({ kind: 'service', service: 'notification-service' });
  });

  it('when the token is for another target, that target accepts it and the notification-service does not', async () => {
    const { stdout } = await script(['payment-service', 'order-service'], {
      SERVICE_SIGNING_KEY: testKeys.services['payment-service'].privateKey,
    });
    expect(verifyToken(testAuthKeys('order-service'), stdout.trim())).toEqual({
      kind: 'service',
      service: 'payment-service',
    });
    expect(() => verifyToken(testAuthKeys('notification-service'), stdout.trim())).toThrow(/not valid/);
  });

  it('when a name is not a shop service, it exits 2 with the usage line', async () => {
    const failure = await script(['billing-service', 'order-service'], {}).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/^usage: pnpm -s service-token <caller> <target>/);
  });
});
