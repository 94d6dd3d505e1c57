import { cpus, loadavg, totalmem } from 'node:os';
import { createContext, type RssRecord } from './context.ts';
import type { BenchOptions, ScenarioName } from './options.ts';
import { row, type Baselines, type Row } from './rows.ts';
import { durability } from './scenarios/durability.ts';
import { growth } from './scenarios/growth.ts';
import { login } from './scenarios/login.ts';
import { orderGet, orderPost } from './scenarios/orders.ts';
import { payOrder } from './scenarios/payOrder.ts';
import type { Scenario } from './scenarios/scenario.ts';
import { tallyByMessage } from './logTally.ts';

// Run order matters: durability restarts the services on synchronous=NORMAL and back, and growth
// swaps the order database, so it goes last.
const SCENARIO_RUNNERS: Record<ScenarioName, Scenario> = {
  'order-get': orderGet,
  'order-post': orderPost,
  login,
  'pay-order': payOrder,
  durability,
  growth,
};

export const RSS_LIMIT_MB = 100;

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; totalMemMb: number; node: string; loadAvgAtStart: number[] };
  options: BenchOptions;
  rows: Row[];
  rss: Array<RssRecord & { met: boolean | null }>;
  /** Warning and error log lines of the services, per scenario (empty when all went well). */
  logProblems: Record<string, { count: number; byMessage: Record<string, number>; first: string[] }>;
}

/** Starts everything, measures the baselines and the chosen scenarios, stops everything. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAvgAtStart = loadavg();
  process.stdout.write(
    `Starting the six processes and the bare Express baseline (LOG_LEVEL=${options.logLevel}` +
      `${options.nodeOptions ? `, shop NODE_OPTIONS=${options.nodeOptions}` : ''})...\n`,
  );
  const ctx = await createContext(options);
  const rows: Row[] = [];
  const rss: BenchReport['rss'] = [];
  const logProblems: BenchReport['logProblems'] = {};
  try {
    ctx.drainLogProblems();
    process.stdout.write('baseline (bare Express 5, same run)\n');
    const baselines: Baselines = {
      GET: await ctx.measure('bare Express GET /json', { url: `${ctx.baseline.url}/json` }),
      POST: await ctx.measure('bare Express POST /echo', {
        url: `${ctx.baseline.url}/echo`,
        method: 'POST',
        body: { product_name: 'Mechanical keyboard', quantity: 2, price: 19.99 },
      }),
    };
    rows.push(
      row(baselines, {
        scenario: 'baseline',
        name: 'bare Express GET (small JSON)',
        load: baselines.GET,
        baseline: 'GET',
      }),
      row(baselines, {
        scenario: 'baseline',
        name: 'bare Express POST (echo)',
        load: baselines.POST,
        baseline: 'POST',
      }),
    );
    if (ctx.baselineTsx) {
      // For reference only: the ratios are to the compiled app, as the services run compiled.
      const tsxUrl = ctx.baselineTsx.url;
      const tsxGet = await ctx.measure('bare Express GET /json through tsx', { url: `${tsxUrl}/json` });
      const tsxPost = await ctx.measure('bare Express POST /echo through tsx', {
        url: `${tsxUrl}/echo`,
        method: 'POST',
        body: { product_name: 'Mechanical keyboard', quantity: 2, price: 19.99 },
      });
      rows.push(
        row(baselines, {
          scenario: 'baseline',
          name: 'bare Express GET, tsx (reference)',
          load: tsxGet,
          baseline: 'GET',
        }),
        row(baselines, {
          scenario: 'baseline',
          name: 'bare Express POST, tsx (reference)',
          load: tsxPost,
          baseline: 'POST',
        }),
      );
    }
    // The bare app's memory: the floor any process loaded the same way starts from (no target of its own).
    rss.push(
      ...ctx
        .recordRss('baseline', ctx.baselineTsx ? ['baseline', 'baseline-tsx'] : ['baseline'])
        .map((sample) => ({ ...sample, met: null })),
    );
    for (const name of Object.keys(SCENARIO_RUNNERS) as ScenarioName[]) {
      if (!options.scenarios.includes(name)) continue;
      const scenario = SCENARIO_RUNNERS[name];
      process.stdout.write(`${name}\n`);
      ctx.resetPeaks();
      rows.push(...(await scenario.run(ctx, baselines)));
      for (const sample of ctx.recordRss(name, scenario.processes)) {
        rss.push({ ...sample, met: sample.currentMb < RSS_LIMIT_MB });
      }
      // Cut short: an error log line can be long (and can hold request details).
      const problems = ctx.drainLogProblems();
      logProblems[name] = {
        count: problems.length,
        byMessage: tallyByMessage(problems),
        first: problems.slice(0, 10).map((line) => line.slice(0, 300)),
      };
    }
  } finally {
    await ctx.stop();
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      loadAvgAtStart,
    },
    options,
    rows,
    rss,
    logProblems,
  };
}
