import type { BenchReport } from './runBench.ts';
import { RSS_LIMIT_MB } from './runBench.ts';

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
  const problems = Object.entries(report.logProblems)
    .filter(([, found]) => found.count > 0)
    .map(([name, found]) => `${name}: ${found.count} warning/error log lines, first: ${found.first[0]}`);
  const { machine } = report;
  return [
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.totalMemMb} MB, Node ${machine.node}, ` +
      `load average at start ${machine.loadAvgAtStart.map((n) => n.toFixed(2)).join(' ')}`,
    `${report.options.durationSec} s per scenario, ${report.options.connections} connections, LOG_LEVEL=${report.options.logLevel}, ` +
      `services and baseline ${report.options.runtime === 'compiled' ? 'compiled (plain node)' : 'TypeScript through tsx'}`,
    '',
    results,
    '',
    memory,
    ...(problems.length ? ['', ...problems] : []),
  ].join('\n');
}

/** CPU of every server process per request: what one request costs the whole system. */
const systemCpu = (perProcess: Record<string, number | undefined>) =>
  Object.values(perProcess).reduce<number>((sum, us) => sum + (us ?? 0), 0);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
