import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';
import type { ProcessName } from '../../scripts/stack/processes.ts';
import { startBaseline, type Baseline } from './baseline/startBaseline.ts';
import { runLoad, type LoadResult, type LoadSpec } from './load.ts';
import type { BenchOptions } from './options.ts';
import { cpuMs, resetPeakRss, sampleRss, type RssSample } from './procStats.ts';
import { registerVerifiedUser } from '@shop/shared/testing';

export interface BenchUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface RssRecord extends RssSample {
  scenario: string;
  process: ProcessName | 'baseline' | 'baseline-tsx';
}

/** Everything a scenario needs: the running system, the baseline, a signed-in user, and helpers. */
export interface BenchContext {
  options: BenchOptions;
  shop: TestStack;
  baseline: Baseline;
  /** The same bare app through tsx, for reference (the baseline before it was compiled); absent with --runtime tsx. */
  baselineTsx?: Baseline;
  user: BenchUser;
  /** The order-service's database file (growth swaps it). */
  orderDbPath: string;
  dataDir: string;
  /** Warms up, then measures one load and prints a progress line before and after. */
  measure(
    label: string,
    spec: Omit<LoadSpec, 'durationSec' | 'connections'> & {
      connections?: number;
      durationSec?: number;
      /**
       * Waits for the work the load left behind (e.g. mails still owed), after the warm-up and after
       * the measured load; the CPU figure includes the latter, so deferred work is not left out.
       */
      settle?: () => Promise<void>;
    },
  ): Promise<Measured>;
  /** Starts a scenario's own RSS peak: resets VmHWM of every process. */
  resetPeaks(): void;
  /** Samples the RSS of the given processes, recorded under `scenario`. */
  recordRss(scenario: string, names: Array<ProcessName | 'baseline' | 'baseline-tsx'>): RssRecord[];
  /** Error and warning log lines of the services since the last call (and forgets the rest). */
  drainLogProblems(): string[];
}

/** A load's result plus the CPU time each process spent on it, per request (microseconds). */
export interface Measured extends LoadResult {
  cpuUsPerRequest: Partial<Record<ProcessName | 'baseline' | 'baseline-tsx', number>>;
}

export const BENCH_PASSWORD = 'bench-password-42';

export async function createContext(
  options: BenchOptions,
): Promise<BenchContext & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-bench-'));
  const orderDbPath = join(dataDir, 'orders.sqlite');
  const [shop, baseline, baselineTsx] = await Promise.all([
    startTestStack(
      {
        LOG_LEVEL: options.logLevel,
        BCRYPT_COST: String(options.bcryptCost),
        ORDER_DB_PATH: orderDbPath,
        // The services' own defaults for their workers, not the tests' short intervals.
        PAYMENT_WORKER_INTERVAL_MS: '',
        PAYMENT_RETRY_BASE_MS: '',
        NOTIFY_WORKER_INTERVAL_MS: '',
        NOTIFY_RETRY_BASE_MS: '',
        ORDER_MAIL_WORKER_INTERVAL_MS: '',
        ORDER_MAIL_RETRY_BASE_MS: '',
        ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
      },
      options.runtime === 'compiled' ? 'compiled' : 'source',
    ),
    startBaseline(options.runtime),
    options.runtime === 'compiled' ? startBaseline('tsx') : undefined,
  ]);
  const user = await signUp(shop);
  const pidOf = (name: ProcessName | 'baseline' | 'baseline-tsx') =>
    name === 'baseline'
      ? baseline.child.pid
      : name === 'baseline-tsx'
        ? baselineTsx?.child.pid
        : shop.stack.processes.get(name)?.child.pid;

  return {
    options,
    shop,
    baseline,
    baselineTsx,
    user,
    orderDbPath,
    dataDir,
    async measure(label, spec) {
      const connections = spec.connections ?? options.connections;
      const durationSec = spec.durationSec ?? options.durationSec;
      if (options.warmupSec > 0) {
        await runLoad({ ...spec, connections, durationSec: options.warmupSec });
        await spec.settle?.();
      }
      process.stdout.write(`  ... ${label}: ${durationSec} s, ${connections} connections\n`);
      const names = [
        ...shop.stack.processes.keys(),
        'baseline' as const,
        ...(baselineTsx ? ['baseline-tsx' as const] : []),
      ];
      const cpuBefore = names.map((name) => cpuMs(pidOf(name)!));
      const result = await runLoad({ ...spec, connections, durationSec });
      await spec.settle?.();
      const cpuUsPerRequest = Object.fromEntries(
        names
          .map(
            (name, i) =>
              [name, ((cpuMs(pidOf(name)!) - cpuBefore[i]!) * 1000) / Math.max(1, result.requests)] as const,
          )
          .filter(([, us]) => us > 0),
      );
      process.stdout.write(
        `      ${Math.round(result.requestsPerSec)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
          `errors ${result.errors}\n`,
      );
      return { ...result, cpuUsPerRequest };
    },
    resetPeaks() {
      for (const name of [...shop.stack.processes.keys(), 'baseline' as const]) {
        const pid = pidOf(name);
        if (pid) resetPeakRss(pid);
      }
    },
    recordRss(scenario, names) {
      return names.flatMap((name) => {
        const pid = pidOf(name);
        return pid ? [{ scenario, process: name, ...sampleRss(pid) }] : [];
      });
    },
    drainLogProblems() {
      const problems = shop.logs.filter((line) => /"level":"(error|fatal|warn)"/.test(line));
      shop.logs.length = 0;
      return problems;
    },
    async stop() {
      await Promise.all([shop.stop(), baseline.stop(), baselineTsx?.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers, signs in and verifies the one user every scenario acts as (receipts need a verified address). */
async function signUp(shop: TestStack): Promise<BenchUser> {
  const { id, email, password, token } = await registerVerifiedUser(
    { users: shop.url('user-service'), gmail: shop.url('gmail-sandbox') },
    { label: 'bench', password: BENCH_PASSWORD },
  );
  return { id, email, password, token };
}
