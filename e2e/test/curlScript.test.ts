import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/processes.ts';
import { startTestStack, type TestStack } from '../support/testStack.ts';

const run = promisify(execFile);
let shop: TestStack;

beforeAll(async () => {
  shop = await startTestStack();
});
afterAll(async () => {
  await shop?.stop();
});

describe('the curl walkthrough (scripts/curl/main-flow.sh)', () => {
  it('when run against a started system, every step passes and it ends with PASSED', async () => {
    const { stdout } = await run('bash', [resolve(REPO_ROOT, 'scripts/curl/main-flow.sh')], {
      env: {
        ...process.env,
        USER_SERVICE_URL: shop.url('user-service'),
        ORDER_SERVICE_URL: shop.url('order-service'),
        PAYMENT_SERVICE_URL: shop.url('payment-service'),
        GMAIL_SANDBOX_URL: shop.url('gmail-sandbox'),
        STRIPE_SANDBOX_URL: shop.url('stripe-sandbox'),
      },
      timeout: 60_000,
    });
    expect(stdout).toContain('PASSED: register, login, order, pay, Paid, one receipt, no second charge.');
    expect(stdout.match(/^ok \d+:/gm)?.length).toBeGreaterThanOrEqual(8);
  });

  it('when a step answers something unexpected, the script stops there with a clear message', async () => {
    const failure = await run('bash', [resolve(REPO_ROOT, 'scripts/curl/main-flow.sh')], {
      // The order-service URL points at the user-service: creating an order answers 404.
      env: {
        ...process.env,
        USER_SERVICE_URL: shop.url('user-service'),
        ORDER_SERVICE_URL: shop.url('user-service'),
      },
      timeout: 60_000,
    }).catch((error: { code: number; stdout: string }) => error);
    expect((failure as { code: number }).code).toBe(1);
    expect((failure as { stdout: string }).stdout).toMatch(
      /FAILED at step 4: POST .*\/api\/order answered 404, expected 201/,
    );
  });
});
