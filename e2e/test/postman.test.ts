import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type ProcessName } from '../../scripts/stack/processes.ts';
import { startTestStack, type TestStack } from '../support/testStack.ts';

const collection = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'postman/shop.postman_collection.json'), 'utf8'),
) as object;
const environment = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'postman/local.postman_environment.json'), 'utf8'),
) as object;

/** The environment's variables, pointed at this test's stack instead of the dev ports. */
const URL_VARIABLES: Record<string, ProcessName> = {
  user_url: 'user-service',
  order_url: 'order-service',
  payment_url: 'payment-service',
  notification_url: 'notification-service',
  stripe_url: 'stripe-sandbox',
  inbox_url: 'gmail-sandbox',
};

let shop: TestStack;

beforeAll(async () => {
  shop = await startTestStack();
});
afterAll(async () => {
  await shop?.stop();
});

function runCollection(): Promise<NewmanRunSummary> {
  return new Promise((resolvePromise, reject) => {
    newman.run(
      {
        collection,
        environment,
        envVar: Object.entries(URL_VARIABLES).map(([key, name]) => ({ key, value: shop.url(name) })),
        reporters: [],
        timeoutRequest: 30_000,
      },
      (error, summary) => (error ? reject(error) : resolvePromise(summary)),
    );
  });
}

describe('the Postman collection', () => {
  it('when run with newman against the whole stack, every request and assertion passes', async () => {
    const { run } = await runCollection();
    const failures = run.failures.map(
      (f) => `${f.source?.name ?? f.at}: ${f.error.test ?? f.error.name}: ${f.error.message}`,
    );
    for (const failure of failures) console.error(`newman failure - ${failure}`);
    console.log(
      `newman: ${run.stats.requests.total} requests, ${run.stats.assertions.total} assertions, ${failures.length} failures`,
    );
    expect(run.stats.requests.total).toBeGreaterThan(0);
    expect(run.stats.assertions.total).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(run.stats.requests.failed).toBe(0);
    expect(run.stats.assertions.failed).toBe(0);
  }, 180_000);
});
