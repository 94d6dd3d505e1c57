import type { BenchReport } from './runBench.ts';
import { RSS_LIMIT_MB } from './runBench.ts';
import type { Row } from './rows.ts';

const metText = (met: boolean | null) => (met === null ? '' : met ? 'yes' : 'NO');

/** The results as fixed-width text tables (and Markdown-friendly enough to paste). */
export function formatReport(report: BenchReport): string {
  const results = table(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio', 'CPU us/req', 'target', 'met?'],
    report.rows.map((r) => [
      r.name,
      r.load.requestsPerSec.toFixed(0),
      r.load.p50Ms.toFixed(1),
      r.load.p99Ms.toFixed(1),
      String(r.load.errors),
      `${(r.ratio * 100).toFixed(0)}% of ${r.baseline}`,
      Object.keys(r.load.cpuUsPerRequest).length ? systemCpu(r.load.cpuUsPerRequest).toFixed(0) : '-',
      r.target,
      metText(r.met),
    ]),
  );
  const memory = table(
    ['scenario', 'process', 'peak RSS MB', 'RSS at end MB', `< ${RSS_LIMIT_MB} MB?`],
    report.rss.map((s) => [
      s.scenario,
      s.process,
      s.peakMb.toFixed(1),
      s.currentMb.toFixed(1),
      metText(s.met),
    ]),
  );
  const durability = durabilityTable(report.rows);
  const payment = paymentCpuTable(report.rows);
  const problems = Object.entries(report.logProblems)
    .filter(([, found]) => found.count > 0)
    .map(([name, found]) => {
      const kinds = Object.entries(found.byMessage)
        .slice(0, 4)
        .map(([message, count]) => `${count} x ${message}`);
      return `${name}: ${found.count} warning/error log lines (${kinds.join('; ')}), first: ${found.first[0]}`;
    });
  const { machine } = report;
  return [
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.totalMemMb} MB, Node ${machine.node}, ` +
      `load average at start ${machine.loadAvgAtStart.map((n) => n.toFixed(2)).join(' ')}`,
    `${report.options.durationSec} s per scenario, ${report.options.connections} connections, LOG_LEVEL=${report.options.logLevel}, ` +
      `services and baseline ${report.options.runtime === 'compiled' ? 'compiled (plain node)' : 'TypeScript through tsx'}`,
    '',
    results,
    ...(durability ? ['', durability] : []),
    ...(payment ? ['', payment] : []),
    '',
    memory,
    ...(problems.length ? ['', ...problems] : []),
  ].join('\n');
}

/**
 * The same load with the services committing at synchronous=FULL (now) and NORMAL (before), side
 * by side; undefined when the run did not measure both.
 */
function durabilityTable(rows: Row[]): string | undefined {
  const measured = (comparable: string, synchronous: string) =>
    rows.find((r) => r.detail?.comparable === comparable && r.detail?.synchronous === synchronous);
  const pairs = ['order POST', 'pay-order'].flatMap((comparable) => {
    const full = measured(comparable, 'FULL');
    const normal = measured(comparable, 'NORMAL');
    return full && normal ? [[comparable, full, normal] as const] : [];
  });
  if (pairs.length === 0) return undefined;
  const cpu = (r: Row) => systemCpu(r.load.cpuUsPerRequest);
  return table(
    [
      'synchronous: FULL vs NORMAL',
      'req/s FULL',
      'req/s NORMAL',
      'p99 ms FULL',
      'p99 ms NORMAL',
      'CPU us/req FULL',
      'CPU us/req NORMAL',
    ],
    pairs.map(([comparable, full, normal]) => [
      comparable,
      full.load.requestsPerSec.toFixed(0),
      normal.load.requestsPerSec.toFixed(0),
      full.load.p99Ms.toFixed(1),
      normal.load.p99Ms.toFixed(1),
      cpu(full).toFixed(0),
      cpu(normal).toFixed(0),
    ]),
  );
}

const SANDBOXES = new Set(['stripe-sandbox', 'gmail-sandbox']);

/** What one payment of the pay-order load cost each process, the services alone and with the sandboxes. */
function paymentCpuTable(rows: Row[]): string | undefined {
  const pay = rows.find((r) => r.scenario === 'pay-order' && r.detail?.comparable === 'pay-order');
  if (!pay) return undefined;
  const perProcess = Object.entries(pay.load.cpuUsPerRequest).filter(
    ([name]) => !name.startsWith('baseline'),
  );
  const services = perProcess.filter(([name]) => !SANDBOXES.has(name));
  const sum = (entries: Array<[string, number | undefined]>) =>
    entries.reduce((total, [, us]) => total + (us ?? 0), 0);
  return table(
    ['CPU per payment', 'us'],
    [
      ...perProcess.map(([name, us]) => [name, (us ?? 0).toFixed(0)]),
      ['services (sandboxes excluded)', sum(services).toFixed(0)],
      ['whole system (with sandboxes)', sum(perProcess).toFixed(0)],
    ],
  );
}

/** CPU of every server process per request: what one request costs the whole system. */
const systemCpu = (perProcess: Record<string, number | undefined>) =>
  Object.values(perProcess).reduce<number>((sum, us) => sum + (us ?? 0), 0);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
