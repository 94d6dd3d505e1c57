import { bcryptCeiling } from '../bcryptCeiling.ts';
import { row } from '../rows.ts';
import type { Scenario } from './scenario.ts';

// The /me probe runs beside the storm at a fixed, modest rate: it measures latency, not capacity.
const ME_PROBE_RATE = 50;

/** A login storm (bcrypt-bound) and, at the same time, GET /api/user/me latency. */
export const login: Scenario = {
  processes: ['user-service'],
  async run(ctx, baselines) {
    const { bcryptCost, smoke } = ctx.options;
    const ceiling = await bcryptCeiling(bcryptCost, smoke ? 0.5 : 3);
    process.stdout.write(
      `      bcrypt ceiling at cost ${bcryptCost}: ${ceiling.perSec.toFixed(1)} compares/s (${ceiling.threads} threads)\n`,
    );
    const users = ctx.shop.url('user-service');
    const [storm, me] = await Promise.all([
      ctx.measure('user POST /api/login storm', {
        url: `${users}/api/login`,
        method: 'POST',
        body: { email: ctx.user.email, password: ctx.user.password },
      }),
      ctx.measure(`user GET /api/user/me during the storm (${ME_PROBE_RATE} req/s)`, {
        url: `${users}/api/user/me`,
        headers: { authorization: `Bearer ${ctx.user.token}` },
        connections: 2,
        overallRate: ME_PROBE_RATE,
      }),
    ]);
    const ofCeiling = storm.requestsPerSec / ceiling.perSec;
    return [
      row(baselines, {
        scenario: 'login',
        name: `user POST /api/login (bcrypt ${bcryptCost}; ceiling ${ceiling.perSec.toFixed(1)}/s)`,
        load: storm,
        baseline: 'POST',
        target: '>= 90% of bcrypt ceiling',
        met: ofCeiling >= 0.9,
        detail: { bcryptCost, ceilingPerSec: ceiling.perSec, threads: ceiling.threads, ofCeiling },
      }),
      row(baselines, {
        scenario: 'login',
        name: 'user GET /api/user/me during the storm',
        // The CPU spent meanwhile is the storm's, not the probe's: not attributed to this row.
        load: { ...me, cpuUsPerRequest: {} },
        baseline: 'GET',
        target: 'p99 < 20 ms',
        met: me.p99Ms < 20,
        detail: { probeRatePerSec: ME_PROBE_RATE },
      }),
    ];
  },
};
