import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authEnvFor, holdWriteLock, type LockHolder } from '@shop/shared/testing';
import { call, eventually } from '../../e2e/support/api.ts';
import { REPO_ROOT } from '../../scripts/stack/processes.ts';
import { openPaymentStore } from '../../services/payment-service/src/data/sqlitePaymentStore.ts';
import { faultControls, type FaultControls } from '../support/faultsControl.ts';
import { shopClient, type Customer, type ShopClient } from '../support/flowShop.ts';
import { startStorageStack, storageStackProblem, type StorageStack } from '../support/storageStack.ts';

// Storage faults made for real on this machine (see docs/reliability.md): the payment and
// notification databases on tmpfs filled to ENOSPC, the order database on an ext4 image that
// another process locks and that the kernel then turns read-only.
const problem = storageStackProblem();
if (problem) console.warn(`[resilience] storage fault suite skipped: ${problem}`);

let env: StorageStack;
let client: ShopClient;
let faults: FaultControls;
let holder: LockHolder | undefined;
/** What each fault test measured, printed on one line at the end (docs/reliability.md quotes it). */
const figures: string[] = [];

const url = (name: Parameters<StorageStack['shop']['url']>[0], path: string) =>
  `${env.shop.url(name)}${path}`;

async function timed<T>(work: Promise<T>): Promise<T & { ms: number }> {
  const started = performance.now();
  const result = await work;
  return { ...result, ms: performance.now() - started };
}

/** The order ends Paid with 1 succeeded PaymentIntent and exactly 1 receipt, recorded sent. */
async function expectPaidOnce(who: Customer, orderId: string) {
  await eventually(
    'the order to become Paid',
    async () => (await client.orderStatus(who, orderId)) === 'Paid',
    60_000,
  );
  await eventually(
    'the receipt recorded sent',
    async () => (await client.notificationsOf(who, orderId))[0]?.status === 'sent',
    60_000,
  );
  const succeeded = (await client.intentsFor(orderId)).filter((pi) => pi.status === 'succeeded');
  expect(succeeded, '1 charge, 0 duplicated').toHaveLength(1);
  expect(await client.receiptsFor(who.email, orderId), '1 receipt, 0 duplicated').toHaveLength(1);
  expect((await client.paymentOf(who, orderId)).body.status).toBe('succeeded');
}

describe.skipIf(problem)('storage faults: full disks, a locked file, a read-only filesystem', () => {
  beforeAll(async () => {
    env = await startStorageStack();
    client = shopClient(env.shop);
    faults = faultControls(env.shop);
  });
  afterEach(async () => {
    holder?.kill();
    holder = undefined;
    env.paymentFs.free();
    env.notificationFs.free();
    await faults.clearAll();
  });
  afterAll(async () => {
    await env?.stop();
    if (figures.length) console.log(`storage faults: ${figures.join('; ')}`);
  });

  it('when the disk fills during a payment, pay-order answers 503 store_full, nothing half-written, and after space is freed the order ends Paid with 1 charge and 1 receipt', async () => {
    const ann = await client.customer('disk');
    const order = await client.createOrder(ann, 2, 19.99);
    // Stripe charges at once but answers 3 s later: the disk fills in between.
    await faults.stripe({ mode: 'slow', match: '/confirm', when: 'after', delay_ms: 3_000 });
    const paying = client.payOrder(ann, order.id, 'pm_card_visa');
    await eventually(
      'Stripe to have charged the order',
      async () => (await client.intentsFor(order.id)).some((pi) => pi.status === 'succeeded'),
      10_000,
    );
    env.paymentFs.fill();
    const logsFrom = env.shop.logs.length;

    const answered = await paying;
    expect(answered.status, JSON.stringify(answered.body)).toBe(503);
    expect(answered.body).toMatchObject({ code: 'store_full' });
    expect(Number(answered.headers.get('retry-after'))).toBeGreaterThan(0);
    const ready = await call('GET', url('payment-service', '/ready'));
    expect(ready.status, '/ready while the disk is full').toBe(503);
    expect(ready.body.reason).toBe('store_full');

    // Nothing half-written: the charge's outcome and its follow-ups (mark Paid, receipt) went
    // together or not at all. The worker keeps trying to record it, backing off.
    await sleep(4_000);
    expect((await client.paymentOf(ann, order.id)).body.status, 'the success was not recorded').not.toBe(
      'succeeded',
    );
    expect(await client.orderStatus(ann, order.id)).toBe('Pending');
    expect(await client.receiptsFor(ann.email, order.id)).toHaveLength(0);
    const workerPasses = env.shop.logs
      .slice(logsFrom)
      .filter((line) => line.startsWith('payment-service') && /payment worker/.test(line));
    expect(
      workerPasses.length,
      `worker passes in 4 s with a full disk:\n${workerPasses.join('\n')}`,
    ).toBeLessThanOrEqual(6);

    env.paymentFs.free();
    const freedAt = performance.now();
    await expectPaidOnce(ann, order.id);
    expect((await call('GET', url('payment-service', '/ready'))).status).toBe(200);
    figures.push(
      `payment disk full: 503 ${answered.body.code}, ${workerPasses.length} worker passes in 4 s, ` +
        `Paid with 1 charge and 1 receipt ${((performance.now() - freedAt) / 1000).toFixed(1)} s after space was freed`,
    );
  });

  it('when the disk fills while Gmail takes a receipt, the receipt is not reported sent before that is saved, and after space is freed it is recorded sent with 1 mail (no second copy)', async () => {
    const bob = await client.customer('disk');
    const order = await client.createOrder(bob, 1, 12.5);
    // Gmail sends the receipt's draft 3 s after it was asked: the disk fills in between.
    await faults.gmail({ mode: 'slow', delay_ms: 3_000, operation: 'drafts.send' });
    expect((await client.payOrder(bob, order.id, 'pm_card_visa')).status).toBe(200);
    await eventually(
      'the receipt to be on its way to Gmail',
      async () => (await client.notificationsOf(bob, order.id)).length === 1,
    );
    env.notificationFs.fill();
    await eventually(
      'Gmail to have the receipt',
      async () => (await client.receiptsFor(bob.email, order.id)).length === 1,
      10_000,
    );

    await sleep(1_000);
    const notes = await client.notificationsOf(bob, order.id);
    expect(
      notes.map((n) => n.status),
      'not reported sent: that was not saved',
    ).toEqual(['queued']);
    const ready = await call('GET', url('notification-service', '/ready'));
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toBe('store_full');

    env.notificationFs.free();
    const freedAt = performance.now();
    await expectPaidOnce(bob, order.id);
    expect((await call('GET', url('notification-service', '/ready'))).status).toBe(200);
    figures.push(
      `notification disk full: receipt queued (not sent) while full, recorded sent ` +
        `${((performance.now() - freedAt) / 1000).toFixed(1)} s after space was freed, 1 mail`,
    );
  });

  it('when another process holds the order database’s write lock, creating an order answers 503 store_busy within a second and /health stays instant; reads work, and once the lock is released orders are created again', async () => {
    const cat = await client.customer('lock');
    const existing = await client.createOrder(cat);
    holder = await holdWriteLock(env.orderDbPath);

    const create = () =>
      timed(
        call('POST', url('order-service', '/api/order'), {
          token: cat.token,
          body: { product_name: 'Locked', quantity: 1, price: 5 },
        }),
      );
    const [first, second, third, health] = await Promise.all([
      create(),
      create(),
      create(),
      sleep(20).then(() => timed(call('GET', url('order-service', '/health')))),
    ]);
    for (const refused of [first, second, third]) {
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'store_busy' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.ms, 'store_busy comes fast').toBeLessThan(1_000);
    }
    expect(health.status).toBe(200);
    expect(health.ms, '/health is not held up by the lock').toBeLessThan(300);
    expect(await client.orderStatus(cat, existing.id), 'reads need no write lock').toBe('Pending');
    const ready = await call('GET', url('order-service', '/ready'));
    expect([ready.status, ready.body.reason]).toEqual([503, 'store_busy']);

    await holder.release();
    holder = undefined;
    await client.createOrder(cat);
    expect((await call('GET', url('order-service', '/ready'))).status).toBe(200);
    figures.push(
      `order file locked: 3 creates 503 store_busy in ${[first, second, third].map((r) => r.ms.toFixed(0)).join('/')} ms, ` +
        `/health ${health.ms.toFixed(0)} ms`,
    );
  });

  it('when the filesystem under the order database turns read-only (an ext4 error), creating an order answers 503 store_unavailable at once, reads work and /ready is 503; after the disk is repaired and the service restarted, orders are created and none was lost', async () => {
    const dan = await client.customer('readonly');
    const kept = await client.createOrder(dan);

    env.orderFs.failReadOnly();
    const refused = await timed(
      call('POST', url('order-service', '/api/order'), {
        token: dan.token,
        body: { product_name: 'Read-only', quantity: 1, price: 5 },
      }),
    );
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'store_unavailable' });
    expect(JSON.stringify(refused.body)).not.toMatch(/sqlite|i\/o|\/tmp\//i);
    expect(refused.ms).toBeLessThan(1_000);
    expect(await client.orderStatus(dan, kept.id)).toBe('Pending');
    const list = await call('GET', url('order-service', '/api/orders'), { token: dan.token });
    expect(
      list.body.data.map((o: { id: string }) => o.id),
      'the refused order left nothing',
    ).toEqual([kept.id]);
    const ready = await call('GET', url('order-service', '/ready'));
    expect([ready.status, ready.body.reason]).toEqual([503, 'store_unavailable']);

    // What an operator does: stop the service, repair the filesystem, start it again.
    await env.shop.stack.kill('order-service');
    env.orderFs.repairAndRemount();
    await env.shop.stack.restart('order-service');
    expect(await client.orderStatus(dan, kept.id), 'the acknowledged order survived').toBe('Pending');
    await client.createOrder(dan);
    figures.push(`order filesystem read-only: 503 store_unavailable in ${refused.ms.toFixed(0)} ms`);
  });
});

describe.skipIf(problem)('a damaged payment database at start-up', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'payments-damaged-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A real payment-service database of 2,000 payments (about 1 MB), closed. */
  function storeFile(name: string): string {
    const path = join(dir, name);
    const store = openPaymentStore(path);
    for (let i = 0; i < 2_000; i++) {
      store.createPayment({ order_id: randomUUID(), user_id: randomUUID(), amount: 3998, currency: 'USD' });
    }
    store.close();
    return path;
  }

  const damaged: Record<string, () => string> = {
    'not a database (text)': () => {
      const path = join(dir, 'text.sqlite');
      writeFileSync(path, 'order_id,amount\n42,3998\n'.repeat(200));
      return path;
    },
    'cut short (half of it)': () => {
      const path = storeFile('cut.sqlite');
      writeFileSync(path, readFileSync(path).subarray(0, Math.floor(statSync(path).size / 2)));
      return path;
    },
    'corrupt in the middle': () => {
      const path = storeFile('corrupt.sqlite');
      const bytes = readFileSync(path);
      bytes.fill(0xab, 4096 * 20, 4096 * 30);
      writeFileSync(path, bytes);
      return path;
    },
  };

  it.each(Object.keys(damaged))(
    'when PAYMENT_DB_PATH is a file %s, the payment-service stops with exit code 1 and one line naming PAYMENT_DB_PATH',
    async (kind) => {
      const path = damaged[kind]!();
      const environment: NodeJS.ProcessEnv = {
        ...process.env,
        ...authEnvFor('payment-service'),
        NODE_ENV: 'test',
        PAYMENT_SERVICE_PORT: '0',
        PAYMENT_DB_PATH: path,
      };
      for (const secret of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']) delete environment[secret];
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: resolve(REPO_ROOT, 'services/payment-service'),
        env: environment,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      // A service that starts on the damaged file keeps running: stop it, the test then fails.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = (await once(child, 'exit')) as [number | null];
      clearTimeout(timer);
      expect(code, stderr).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^Invalid configuration: PAYMENT_DB_PATH cannot be opened as a SQLite database/,
      );
    },
  );
});
