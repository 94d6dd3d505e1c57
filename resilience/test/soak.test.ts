import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../e2e/support/api.ts';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';
import { faultControls } from '../support/faultsControl.ts';
import { flipFaults } from '../support/faultsFlipper.ts';
import { shopClient } from '../support/flowShop.ts';
import { checkOrders, isSettled, virtualUser, type OrderCheck } from '../support/flowSoak.ts';

const LOAD_MS = 60_000;
const VIRTUAL_USERS = 8;

let shop: TestStack;

beforeAll(async () => {
  shop = await startTestStack({
    STRIPE_TIMEOUT_MS: '2000',
    // Mails must outlast a minute of Gmail flipping on and off: retries at most 1 s apart (they give
    // up only by age, NOTIFICATION_GIVE_UP_AFTER_HOURS, 48 h by default).
    NOTIFY_RETRY_MAX_MS: '1000',
  });
});
afterAll(async () => {
  await shop?.stop();
});

describe('load soak with faults flipping', () => {
  it(`when ${VIRTUAL_USERS} users pay orders for 60 s while Stripe and Gmail faults flip every 3-5 s, every paid order is Paid with 1 charge and 1 receipt: 0 lost, 0 duplicated`, async () => {
    const client = shopClient(shop);
    const faults = faultControls(shop);
    const deadline = Date.now() + LOAD_MS;

    const [flips, ...users] = await Promise.all([
      flipFaults(faults, deadline),
      ...Array.from({ length: VIRTUAL_USERS }, (_, i) => virtualUser(client, i, deadline)),
    ]);
    await faults.clearAll();
    const orders = users.flatMap((u) => u.orders);
    const calls = users.reduce((sum, u) => sum + u.calls, 0);
    const failedCalls = users.reduce((sum, u) => sum + u.failedCalls, 0);

    // The workers finish what the faults left (reconciliations, follow-ups, queued mails).
    let last: OrderCheck | undefined;
    await eventually(
      'every order to settle',
      async () => {
        last = await checkOrders(client, orders);
        return isSettled(last);
      },
      90_000,
    ).catch(() => undefined); // the assertions below name what did not settle
    const result = last ?? (await checkOrders(client, orders));

    console.log(
      `soak: ${calls} calls by ${VIRTUAL_USERS} users in ${LOAD_MS / 1000} s, ${flips.armed.length} fault flips, ` +
        `${flips.stripeHits} Stripe requests hit a fault, ${failedCalls} calls answered 5xx or nothing; ${result.orders} orders: ${result.paid} Paid, ` +
        `${result.unpaid} unpaid (declined or never charged); lost ${result.lost.length}, ` +
        `duplicated charges ${result.duplicatedCharges.length}, missing receipts ${result.missingReceipts.length}, ` +
        `duplicated receipts ${result.duplicatedReceipts.length}`,
    );
    expect(flips.armed.length, 'the faults flipped at least 12 times').toBeGreaterThanOrEqual(12);
    expect(flips.stripeHits, 'the Stripe faults hit requests').toBeGreaterThan(0);
    expect(result.paid, 'a meaningful number of orders was paid').toBeGreaterThanOrEqual(50);
    expect(result.lost, '0 lost: Paid iff Stripe charged').toEqual([]);
    expect(result.duplicatedCharges, '0 duplicated charges').toEqual([]);
    expect(result.missingReceipts, '0 missing receipts').toEqual([]);
    expect(result.duplicatedReceipts, '0 duplicated receipts').toEqual([]);
  }, 240_000);
});
