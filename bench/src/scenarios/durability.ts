import type { BenchContext } from '../context.ts';
import { measureOrderPost } from './orders.ts';
import { measurePayOrder } from './payOrder.ts';
import type { Scenario } from './scenario.ts';

const SERVICES = ['user-service', 'order-service', 'payment-service', 'notification-service'] as const;

/** Restarts the four services, with `env` added to their environment (empty: as the stack started them). */
async function restartServices(ctx: BenchContext, env: Record<string, string>): Promise<void> {
  for (const name of SERVICES) {
    await ctx.shop.stack.kill(name, 'SIGTERM');
    await ctx.shop.stack.restart(name, env);
  }
}

/**
 * The price of durable commits: order POST and pay-order again, with the four services restarted
 * on the setting they had before, `synchronous=NORMAL` (BENCH_SQLITE_SYNCHRONOUS, refused in
 * production), beside the order-post and pay-order rows of the same run, which use FULL.
 * Afterwards the services are restarted on FULL for whatever runs next.
 */
export const durability: Scenario = {
  processes: ['order-service', 'payment-service', 'notification-service'],
  async run(ctx, baselines) {
    process.stdout.write('      restarting the services with BENCH_SQLITE_SYNCHRONOUS=NORMAL\n');
    await restartServices(ctx, { BENCH_SQLITE_SYNCHRONOUS: 'NORMAL' });
    try {
      return [
        ...(await measureOrderPost(ctx, baselines, 'NORMAL')),
        ...(await measurePayOrder(ctx, baselines, 'NORMAL')),
      ];
    } finally {
      await restartServices(ctx, {});
    }
  },
};
