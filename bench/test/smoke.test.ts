import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsxArgs } from '@shop/shared/startup';
import type { BenchReport } from '../src/runBench.ts';
import { SCENARIOS } from '../src/options.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(tmpdir(), 'shop-bench-smoke-'));
const outFile = join(outDir, 'smoke.json');
let output = '';
let exitCode: number | null = null;
let report: BenchReport;

// `pnpm bench --smoke` exactly as a developer runs it (1 s per scenario, small growth sizes), so
// the harness cannot rot. It asserts that everything ran and was computed, never how fast.
beforeAll(async () => {
  const child = spawn(process.execPath, [...tsxArgs('bench/src/main.ts'), '--smoke', '--out', outFile], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exitCode = await new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  if (!existsSync(outFile)) {
    // Without its JSON there is nothing to check: say why the run ended instead of ENOENT.
    throw new Error(
      `pnpm bench --smoke exited with ${exitCode} and wrote no JSON; its output:\n${output.slice(-4000)}`,
    );
  }
  report = JSON.parse(readFileSync(outFile, 'utf8')) as BenchReport;
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('pnpm bench --smoke', () => {
  it('exits 0 and writes its JSON file', () => {
    expect(exitCode, output).toBe(0);
    expect(report.rows.length).toBeGreaterThan(0);
  });

  it('measures both baselines (compiled, and through tsx for reference) and every scenario', () => {
    const measured = new Set(report.rows.map((row) => row.scenario));
    expect([...measured].sort()).toEqual(['baseline', ...SCENARIOS].sort());
    expect(report.rows.filter((row) => row.scenario === 'baseline').map((row) => row.name)).toEqual([
      'bare Express GET (small JSON)',
      'bare Express POST (echo)',
      'bare Express GET, tsx (reference)',
      'bare Express POST, tsx (reference)',
    ]);
  });

  it('reads orders as 1,000 users in rotation, and pays at a steady 50/s beside the full load', () => {
    const get = report.rows.find((row) => row.scenario === 'order-get')!;
    expect(get.detail?.users).toBe(1_000);
    expect(report.rows.filter((row) => row.scenario === 'pay-order').map((row) => row.name)).toEqual([
      'payment POST /api/pay-order (full flow)',
      'payment POST /api/pay-order at 50/s',
    ]);
    expect(output).toMatch(/\| services \(sandboxes excluded\) +\| \d+/);
    expect(output).toMatch(/\| whole system \(with sandboxes\) +\| \d+/);
  });

  it("order POST waits for the orders' confirmation mail requests: none is left owed when its CPU is read", () => {
    for (const post of report.rows.filter((row) => row.detail?.comparable === 'order POST')) {
      expect(post.detail?.owedAtEnd, post.name).toBeGreaterThanOrEqual(0);
      expect(post.detail?.owedAfterWait, post.name).toBe(0);
    }
  });

  it('every row got answers and 0 errors (else it names the status codes seen)', () => {
    for (const row of report.rows) {
      expect(row.load.requests, `${row.name}: requests made`).toBeGreaterThan(0);
      expect(row.load.errors, `${row.name}: errors, by status ${JSON.stringify(row.load.statuses)}`).toBe(0);
    }
  });

  it('every row has a ratio to the same-run baseline, and every target a verdict', () => {
    for (const row of report.rows) {
      expect(Number.isFinite(row.ratio) && row.ratio > 0, `${row.name}: ratio ${row.ratio}`).toBe(true);
      if (row.target) expect(typeof row.met, `${row.name}: verdict`).toBe('boolean');
    }
    expect(report.rows.filter((row) => row.target).length).toBeGreaterThanOrEqual(7);
  });

  it('the growth rows compare the largest store with the smallest, and no charge goes without its receipt', () => {
    const growth = report.rows.filter((row) => row.scenario === 'growth');
    expect(growth.map((row) => row.detail?.orders)).toEqual([1_000, 1_000, 10_000, 10_000]);
    expect(growth.filter((row) => row.detail?.costVsSmallest !== undefined)).toHaveLength(2);
    const pay = report.rows.find((row) => row.scenario === 'pay-order')!;
    expect(pay.detail?.charged, 'charges').toBeGreaterThan(0);
    expect(pay.detail?.receipts, 'receipts for those charges').toBeGreaterThanOrEqual(
      pay.detail?.charged as number,
    );
  });

  it('the durability rows measure order POST and pay-order with synchronous=NORMAL beside the FULL ones, side by side in the output', () => {
    const comparedAt = (synchronous: string) =>
      report.rows
        .filter((row) => row.detail?.synchronous === synchronous)
        .map((row) => row.detail?.comparable)
        .sort();
    expect(comparedAt('FULL')).toEqual(['order POST', 'pay-order']);
    expect(comparedAt('NORMAL')).toEqual(['order POST', 'pay-order']);
    const pay = report.rows.find(
      (row) => row.scenario === 'durability' && row.detail?.comparable === 'pay-order',
    )!;
    expect(pay.detail?.receipts, "receipts for the NORMAL run's charges").toBeGreaterThanOrEqual(
      pay.detail?.charged as number,
    );
    expect(output).toMatch(/\| synchronous: FULL vs NORMAL +\| req\/s FULL/);
  });

  it('reports the RSS of every service at the end of its scenario and the table with ratios', () => {
    const sampled = new Set(report.rss.map((sample) => sample.process));
    for (const name of [
      'user-service',
      'order-service',
      'payment-service',
      'notification-service',
      'baseline',
    ]) {
      expect(sampled, name).toContain(name);
    }
    for (const sample of report.rss) expect(sample.currentMb, `${sample.process} RSS`).toBeGreaterThan(0);
    expect(output).toMatch(/\| scenario +\| req\/s +\| p50 ms/);
    expect(output).toMatch(/% of GET/);
  });
});
