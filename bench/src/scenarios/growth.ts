import { randomUUID } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  openOrderDatabase,
  seedOrders,
  type SeedOrder,
} from '../../../services/order-service/src/data/index.ts';
import type { BenchContext, Measured } from '../context.ts';
import { row, type Baselines, type Row } from '../rows.ts';
import type { Scenario } from './scenario.ts';

// Half of all orders are the bench user's (a big partition to page through); the rest spread over others.
const OTHER_USERS = Array.from({ length: 1_000 }, () => randomUUID());
const SAMPLE_IDS = 1_000;
// "Flat" means: the largest store costs at most this much more per request than the smallest.
const MAX_GROWTH = 1.2;

/** GET /api/orders (first page) and GET /api/order/:id with 1k, 100k, 1M orders in the store. */
export const growth: Scenario = {
  processes: ['order-service'],
  async run(ctx, baselines) {
    const sizes = [...ctx.options.growthSizes].sort((a, b) => a - b);
    const rows: Row[] = [];
    const first: Record<'list' | 'get', Measured | undefined> = { list: undefined, get: undefined };
    for (const size of sizes) {
      const ids = await swapInSeededStore(ctx, size);
      const token = { authorization: `Bearer ${ctx.user.token}` };
      const orders = ctx.shop.url('order-service');
      const list = await ctx.measure(`order GET /api/orders at ${label(size)}`, {
        url: `${orders}/api/orders?limit=20`,
        headers: token,
      });
      let pick = 0;
      const get = await ctx.measure(`order GET /api/order/:id at ${label(size)}`, {
        url: `${orders}/api/order/${ids[0]}`,
        headers: token,
        nextPath: () => `/api/order/${ids[pick++ % ids.length]}`,
      });
      first.list ??= list;
      first.get ??= get;
      const isLargest = size === sizes.at(-1) && sizes.length > 1;
      rows.push(
        growthRow(
          baselines,
          `order GET /api/orders at ${label(size)}`,
          list,
          isLargest ? first.list : undefined,
          size,
        ),
        growthRow(
          baselines,
          `order GET /api/order/:id at ${label(size)}`,
          get,
          isLargest ? first.get : undefined,
          size,
        ),
      );
    }
    return rows;
  },
};

function growthRow(
  baselines: Baselines,
  name: string,
  load: Measured,
  smallest: Measured | undefined,
  size: number,
): Row {
  // Cost per request is the order-service's CPU time per request: unlike req/s, it does not move
  // when other jobs on a shared machine take cores away for a while.
  const cost = (measured: Measured) => measured.cpuUsPerRequest['order-service'] ?? Number.NaN;
  const growthFactor = smallest ? cost(load) / cost(smallest) : undefined;
  return row(baselines, {
    scenario: 'growth',
    name,
    load,
    baseline: 'GET',
    target: smallest ? `CPU/req <= ${MAX_GROWTH}x smallest` : '',
    met: growthFactor === undefined ? null : growthFactor <= MAX_GROWTH,
    detail: {
      orders: size,
      cpuUsPerRequest: cost(load),
      ...(growthFactor === undefined
        ? {}
        : {
            costVsSmallest: growthFactor,
            requestsPerSecVsSmallest: load.requestsPerSec / smallest!.requestsPerSec,
          }),
    },
  });
}

const label = (size: number) =>
  size >= 1e6 ? `${size / 1e6}M` : size >= 1e3 ? `${size / 1e3}k` : String(size);

/**
 * Seeds a fresh database of `size` orders (straight into SQLite, without history, indexes built
 * once), swaps it in under the order-service's ORDER_DB_PATH and restarts the service on it.
 * Answers ids of the bench user's orders spread over the whole table.
 */
async function swapInSeededStore(ctx: BenchContext, size: number): Promise<string[]> {
  const seeded = join(ctx.dataDir, `orders-${size}.sqlite`);
  const started = performance.now();
  const db = openOrderDatabase(seeded);
  let ids: string[];
  try {
    seedOrders(db, generateOrders(size, ctx.user.id), { history: false });
    const pick = db.prepare(`SELECT id FROM orders WHERE seq = ? AND user_id = ?`).pluck();
    ids = Array.from({ length: Math.min(SAMPLE_IDS, size / 2) }, (_, i) =>
      pick.get(2 * Math.floor((i * size) / 2 / Math.min(SAMPLE_IDS, size / 2)) + 1, ctx.user.id),
    ).filter((id): id is string => typeof id === 'string');
  } finally {
    db.close();
  }
  process.stdout.write(
    `      seeded ${label(size)} orders in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await ctx.shop.stack.kill('order-service', 'SIGTERM');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${ctx.orderDbPath}${suffix}`, { force: true });
  renameSync(seeded, ctx.orderDbPath);
  await ctx.shop.stack.restart('order-service');
  if (ids.length === 0) throw new Error(`no orders of the bench user found among ${size}`);
  return ids;
}

function* generateOrders(size: number, userId: string): Generator<SeedOrder> {
  const start = Date.now() - size * 1000;
  for (let i = 0; i < size; i++) {
    yield {
      // seq i + 1: odd seqs are the bench user's.
      user_id: i % 2 === 0 ? userId : OTHER_USERS[i % OTHER_USERS.length]!,
      product_name: `Item ${i % 500}`,
      quantity: 1 + (i % 5),
      unit_amount: 999 + (i % 100),
      currency: 'USD',
      status: i % 3 === 0 ? 'Paid' : 'Pending',
      created_at: new Date(start + i * 1000).toISOString(),
    };
  }
}
