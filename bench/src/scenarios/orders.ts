import { randomUUID } from 'node:crypto';
import { openOrderDatabase, seedOrders } from '../../../services/order-service/src/data/index.ts';
import { uuidv7 } from '../../../services/order-service/src/domain/ids.ts';
import { signUserToken, type SynchronousMode } from '@shop/shared';
import type { BenchContext } from '../context.ts';
import { row, type Baselines, type Row } from '../rows.ts';
import type { Scenario } from './scenario.ts';

export const NEW_ORDER = { product_name: 'Mechanical keyboard', quantity: 2, price: 19.99 };

// Users whose tokens the order GET rotates through: a token cache must earn its figure across
// many callers, not by answering one token over and over.
export const ORDER_GET_USERS = 1_000;

/** GET /api/order/:id of the caller's own order, with 1,000 users' tokens in rotation. */
export const orderGet: Scenario = {
  processes: ['order-service'],
  async run(ctx, baselines) {
    const readers = usersWithAnOrder(ctx, ORDER_GET_USERS);
    let next = 0;
    const load = await ctx.measure(`order GET /api/order/:id (${ORDER_GET_USERS} users)`, {
      url: `${ctx.shop.url('order-service')}/api/order/${readers[0]!.orderId}`,
      nextRequest: () => {
        const reader = readers[next++ % readers.length]!;
        return { path: `/api/order/${reader.orderId}`, headers: { authorization: `Bearer ${reader.token}` } };
      },
    });
    const ratio = load.requestsPerSec / baselines.GET.requestsPerSec;
    return [
      row(baselines, {
        scenario: 'order-get',
        name: 'order GET /api/order/:id',
        load,
        baseline: 'GET',
        target: '>= 50% of bare GET',
        met: ratio >= 0.5,
        detail: { users: readers.length },
      }),
    ];
  },
};

/**
 * `count` users, each with a user token (signed with the stack's user-token key, as a login would)
 * and one Pending order of their own put straight into the order database.
 */
function usersWithAnOrder(ctx: BenchContext, count: number): Array<{ token: string; orderId: string }> {
  const users = Array.from({ length: count }, () => ({ id: randomUUID(), orderId: uuidv7() }));
  const db = openOrderDatabase(ctx.orderDbPath);
  try {
    seedOrders(
      db,
      users.map((user) => ({
        id: user.orderId,
        user_id: user.id,
        product_name: 'Bench order',
        quantity: 2,
        unit_amount: 1999,
        currency: 'USD',
      })),
    );
  } finally {
    db.close();
  }
  return users.map((user) => ({
    token: signUserToken(ctx.shop.keys.privateKey, user.id, 3600),
    orderId: user.orderId,
  }));
}

/** POST /api/order: every request creates an order (validation, money, one transaction). */
export const orderPost: Scenario = {
  processes: ['order-service'],
  run: (ctx, baselines) => measureOrderPost(ctx, baselines, 'FULL'),
};

/**
 * One order POST load with the services committing at `synchronous`: FULL (what they run) in the
 * order-post scenario, NORMAL (the setting before) in the durability scenario.
 */
export async function measureOrderPost(
  ctx: BenchContext,
  baselines: Baselines,
  synchronous: SynchronousMode,
): Promise<Row[]> {
  const current = synchronous === 'FULL';
  const name = current ? 'order POST /api/order' : 'order POST /api/order, synchronous=NORMAL';
  const drain = { owedAtEnd: 0, drainedMs: 0, owedAfterWait: 0 };
  const load = await ctx.measure(name, {
    url: `${ctx.shop.url('order-service')}/api/order`,
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.user.token}` },
    body: NEW_ORDER,
    // Each order owes its confirmation mail request; the ones still owed when the load stops are
    // sent afterwards, and their cost belongs to the orders, so the CPU figure waits for them.
    settle: async () => {
      Object.assign(drain, await drainOwedMails(ctx.orderDbPath));
    },
  });
  const ratio = load.requestsPerSec / baselines.POST.requestsPerSec;
  return [
    row(baselines, {
      scenario: current ? 'order-post' : 'durability',
      name,
      load,
      baseline: 'POST',
      ...(current ? { target: '>= 40% of bare POST', met: ratio >= 0.4 } : {}),
      detail: { synchronous, comparable: 'order POST', ...drain },
    }),
  ];
}

const DRAIN_LIMIT_MS = 120_000;

/**
 * Waits until the order-service's owed order_created mail requests are all sent (or DRAIN_LIMIT_MS
 * passed): how many were owed when the load stopped, how long they took, and how many were left.
 */
async function drainOwedMails(dbPath: string) {
  const db = openOrderDatabase(dbPath);
  try {
    const owedNow = () =>
      (db.prepare(`SELECT count(*) AS n FROM order_mails WHERE state = 'owed'`).get() as { n: number }).n;
    const started = Date.now();
    const owedAtEnd = owedNow();
    let owed = owedAtEnd;
    while (owed > 0 && Date.now() - started < DRAIN_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      owed = owedNow();
    }
    return { owedAtEnd, drainedMs: Date.now() - started, owedAfterWait: owed };
  } finally {
    db.close();
  }
}
