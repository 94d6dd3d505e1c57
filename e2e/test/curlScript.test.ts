import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, portVariable, type ProcessName } from '../../scripts/stack/processes.ts';
import { startTestStack, type TestStack } from '../support/testStack.ts';

const run = promisify(execFile);
const SCRIPT = resolve(REPO_ROOT, 'scripts/curl/main-flow.sh');
let shop: TestStack;
let dir: string;

/** The test's environment without the URLs and ports a developer's shell may hold. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SHOP_ENV_FILE: 'none' };
  for (const name of Object.keys(env)) if (/_(URL|PORT)$/.test(name)) delete env[name];
  return env;
}
type Failure = { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  shop = await startTestStack();
  dir = mkdtempSync(join(tmpdir(), 'curl-env-'));
});
afterAll(async () => {
  await shop?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the curl walkthrough (scripts/curl/main-flow.sh)', () => {
  it('when run against a started system, every step passes and it ends with PASSED', async () => {
    const { stdout } = await run('bash', [SCRIPT], {
      env: {
        ...cleanEnv(),
        USER_SERVICE_URL: shop.url('user-service'),
        ORDER_SERVICE_URL: shop.url('order-service'),
        PAYMENT_SERVICE_URL: shop.url('payment-service'),
        GMAIL_SANDBOX_URL: shop.url('gmail-sandbox'),
        STRIPE_SANDBOX_URL: shop.url('stripe-sandbox'),
      },
      timeout: 60_000,
    });
    expect(stdout).toContain(
      'PASSED: register, login, verify, order, pay, Paid, one receipt, no second charge.',
    );
    expect(stdout.match(/^ok \d+:/gm)?.length).toBeGreaterThanOrEqual(8);
  });

  it('when an env file sets only the ports, it finds every process from them', async () => {
    const file = join(dir, 'ports.env');
    const names: ProcessName[] = [
      'user-service',
      'order-service',
      'payment-service',
      'gmail-sandbox',
      'stripe-sandbox',
    ];
    writeFileSync(
      file,
      names.map((name) => `${portVariable(name)}=${new URL(shop.url(name)).port}\n`).join(''),
    );
    const { stdout } = await run('bash', [SCRIPT], {
      env: { ...cleanEnv(), SHOP_ENV_FILE: file },
      timeout: 60_000,
    });
    expect(stdout).toContain('PASSED');
  });

  it('when a step answers something unexpected, the script stops there with a clear message', async () => {
    const failure = await run('bash', [SCRIPT], {
      // The order-service URL points at the user-service: creating an order answers 404.
      env: {
        ...cleanEnv(),
        USER_SERVICE_URL: shop.url('user-service'),
        ORDER_SERVICE_URL: shop.url('user-service'),
        GMAIL_SANDBOX_URL: shop.url('gmail-sandbox'),
      },
      timeout: 60_000,
    }).catch((error: Failure) => error);
    expect((failure as Failure).code).toBe(1);
    expect((failure as Failure).stderr).toMatch(
      /FAILED at step 6: POST .*\/api\/order answered 404, expected 201/,
    );
  });

  it('when the inbox cannot be reached while it waits for the verification mail, its failure line is printed', async () => {
    const failure = await run('bash', [SCRIPT], {
      env: {
        ...cleanEnv(),
        USER_SERVICE_URL: shop.url('user-service'),
        ORDER_SERVICE_URL: shop.url('order-service'),
        PAYMENT_SERVICE_URL: shop.url('payment-service'),
        GMAIL_SANDBOX_URL: 'http://127.0.0.1:9', // discard port: nothing listens
      },
      timeout: 60_000,
    }).catch((error: Failure) => error);
    expect((failure as Failure).code).toBe(1);
    expect((failure as Failure).stderr).toMatch(
      /FAILED at step 3: GET http:\/\/127\.0\.0\.1:9\/api\/messages.* did not answer/,
    );
  });
});
