import { call } from '../../../e2e/support/api.ts';
import type { SynchronousMode } from '@shop/shared';
import type { BenchContext } from '../context.ts';
import { row, type Baselines, type Row } from '../rows.ts';
import type { Scenario } from './scenario.ts';

export const NEW_ORDER = { product_name: 'Mechanical keyboard', quantity: 2, price: 19.99 };

/** GET /api/order/:id of the user's own order, with a valid user token. */
export const orderGet: Scenario = {
  processes: ['order-service'],
  async run(ctx, baselines) {
    const orders = ctx.shop.url('order-service');
    const created = await call('POST', `${orders}/api/order`, { token: ctx.user.token, body: NEW_ORDER });
    if (created.status !== 201) throw new Error(`creating the order to read: ${created.status}`);
    const load = await ctx.measure('order GET /api/order/:id', {
      url: `${orders}/api/order/${created.body.id}`,
      headers: { authorization: `Bearer ${ctx.user.token}` },
    });
    const ratio = load.requestsPerSec / baselines.GET.requestsPerSec;
    return [
      row(baselines, {
        scenario: 'order-get',
        name: 'order GET /api/order/:id',
        load,
        baseline: 'GET',
        target: '>= 70% of bare GET',
        met: ratio >= 0.7,
      }),
    ];
  },
};

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
  const load = await ctx.measure(name, {
    url: `${ctx.shop.url('order-service')}/api/order`,
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.user.token}` },
    body: NEW_ORDER,
  });
  const ratio = load.requestsPerSec / baselines.POST.requestsPerSec;
  return [
    row(baselines, {
      scenario: current ? 'order-post' : 'durability',
      name,
      load,
      baseline: 'POST',
      ...(current ? { target: '>= 50% of bare POST', met: ratio >= 0.5 } : {}),
      detail: { synchronous, comparable: 'order POST' },
    }),
  ];
}
