import { call, eventually } from '../../../e2e/support/api.ts';
import { openOrderDatabase, seedOrders } from '../../../services/order-service/src/data/index.ts';
import type { SynchronousMode } from '@shop/shared';
import type { BenchContext } from '../context.ts';
import { row, type Baselines, type Row } from '../rows.ts';
import type { Scenario } from './scenario.ts';

// Orders put aside per second of load: well above what the whole system can pay on 2 cores.
const ORDERS_PER_SECOND = 1_000;
// The steady rate whose p99 the target is about (well under the ceiling, so it measures latency, not queueing).
const STEADY_RATE = 50;
// A payment can take over a second on a busy machine: shorter loads (the smoke run's 1 s) may see none answered.
const MIN_DURATION_SEC = 3;
const SERVICES = ['payment-service', 'order-service', 'notification-service', 'user-service'] as const;

/** The full POST /api/pay-order with pm_card_visa through the Stripe sandbox, each call a new order. */
export const payOrder: Scenario = {
  processes: [...SERVICES],
  run: (ctx, baselines) => measurePayOrder(ctx, baselines, 'FULL'),
};

/**
 * One pay-order load with the services committing at `synchronous`: FULL (what they run) in the
 * pay-order scenario, NORMAL (the setting before) in the durability scenario.
 */
export async function measurePayOrder(
  ctx: BenchContext,
  baselines: Baselines,
  synchronous: SynchronousMode,
): Promise<Row[]> {
  const current = synchronous === 'FULL';
  const { warmupSec } = ctx.options;
  const durationSec = Math.max(MIN_DURATION_SEC, ctx.options.durationSec);
  const orderIds = pendingOrders(
    ctx.orderDbPath,
    ctx.user.id,
    Math.ceil((durationSec + warmupSec) * (ORDERS_PER_SECOND + STEADY_RATE)),
  );
  let next = 0;
  let reused = 0;
  const stripe = ctx.shop.url('stripe-sandbox');
  const chargesBefore = (await call('GET', `${stripe}/_sandbox/payment_intents`)).body
    .succeeded_count as number;
  const receiptsBefore = (await receiptOrderIds(ctx)).length;

  const label = current ? 'payment POST /api/pay-order' : 'payment POST /api/pay-order, synchronous=NORMAL';
  const spec = {
    url: `${ctx.shop.url('payment-service')}/api/pay-order`,
    method: 'POST' as const,
    durationSec,
    headers: { authorization: `Bearer ${ctx.user.token}` },
    nextBody: () => {
      if (next >= orderIds.length) reused++;
      return { order_id: orderIds[next++ % orderIds.length], payment_method: 'pm_card_visa' };
    },
  };
  const load = await ctx.measure(`${label} (pm_card_visa)`, spec);
  const steady = current
    ? await ctx.measure(`${label} at ${STEADY_RATE}/s`, { ...spec, overallRate: STEADY_RATE })
    : undefined;

  // Every charge must end with one receipt; the workers finish what the requests started, and
  // requests still in flight when the load stopped may charge a little later, so count both until they meet.
  let charged = 0;
  const receipted = await eventually(
    'a receipt for each charge',
    async () => {
      charged =
        (await call('GET', `${stripe}/_sandbox/payment_intents`)).body.succeeded_count - chargesBefore;
      const ids = (await receiptOrderIds(ctx)).slice(receiptsBefore);
      return new Set(ids).size >= charged && ids;
    },
    120_000,
  );
  const receipts = receipted.length;
  const duplicateReceipts = receipts - new Set(receipted).size;
  const servicesCpuUs = SERVICES.reduce((sum, name) => sum + (load.cpuUsPerRequest[name] ?? 0), 0);
  return [
    row(baselines, {
      scenario: current ? 'pay-order' : 'durability',
      name: `${label} (full flow)`,
      load,
      baseline: 'POST',
      ...(current ? { target: 'services CPU <= 6 ms/payment', met: servicesCpuUs <= 6000 } : {}),
      detail: {
        synchronous,
        comparable: 'pay-order',
        servicesCpuUsPerPayment: Math.round(servicesCpuUs),
        ordersPrepared: orderIds.length,
        reusedOrders: reused,
        charged,
        receipts,
        duplicateReceipts,
      },
    }),
    ...(steady
      ? [
          row(baselines, {
            scenario: 'pay-order',
            name: `${label} at ${STEADY_RATE}/s`,
            load: steady,
            baseline: 'POST',
            target: 'p99 < 50 ms',
            met: steady.p99Ms < 50,
          }),
        ]
      : []),
  ];
}

/** The order id of every receipt the user got, oldest first (the inbox lists newest first). */
async function receiptOrderIds(ctx: BenchContext): Promise<string[]> {
  const inbox = await call('GET', `${ctx.shop.url('gmail-sandbox')}/api/messages?to=${ctx.user.email}`);
  return (inbox.body.messages as Array<{ subject: string; text: string }>)
    .filter((mail) => /receipt/i.test(mail.subject))
    .map((mail) => /^Order:\s+(\S+)$/m.exec(mail.text)?.[1] ?? 'unreadable')
    .reverse();
}

/** Orders per seeding transaction: each commits in a few milliseconds. */
const SEED_CHUNK = 200;

/**
 * Puts `count` new Pending orders of the user straight into the order database (the service reads
 * them like any other), and answers the ids of all the user's Pending orders.
 */
function pendingOrders(dbPath: string, userId: string, count: number): string[] {
  const db = openOrderDatabase(dbPath);
  try {
    // In short transactions: the running order-service waits at most LOCK_WAIT_MS (50 ms) for the
    // lock, so one long transaction made its own writes meanwhile (the mail worker's, a payment's
    // mark_paid) fail with store_busy, which the bench then reported as the service's errors.
    const order = {
      user_id: userId,
      product_name: 'Bench order',
      quantity: 1,
      unit_amount: 2500,
      currency: 'USD',
    };
    for (let seeded = 0; seeded < count; seeded += SEED_CHUNK) {
      seedOrders(
        db,
        Array.from({ length: Math.min(SEED_CHUNK, count - seeded) }, () => order),
      );
    }
    const rows = db
      .prepare(`SELECT id FROM orders WHERE user_id = ? AND status = 'Pending' ORDER BY seq`)
      .all(userId) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  } finally {
    db.close();
  }
}
