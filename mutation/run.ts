/**
 * `pnpm mutate [target...] [--incremental] [--static] [--lines <file>:<from>-<to>]`: mutation testing of the targets in targets.ts, one at a
 * time (the machine's cores are shared; each target runs its mutants on one or two workers), then a
 * table of scores. Exits non-zero when a target is below its threshold.
 */
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import { targets, type Target } from './targets.ts';
import { scoreOf, type MutantResult, type Score } from './score.ts';

const args = process.argv.slice(2);
const incremental = args.includes('--incremental');
const includeStatic = args.includes('--static');
// --lines services/x/src/y.ts:78-80: only the mutants on those lines (a survivor re-tested after its
// test was written); the score then covers those mutants only.
const linesAt = args.indexOf('--lines');
const lines = linesAt >= 0 ? args[linesAt + 1] : undefined;
const names = args.filter((arg, i) => !arg.startsWith('--') && !(linesAt >= 0 && i === linesAt + 1));
const unknown = names.filter((name) => !targets.some((target) => target.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown target(s): ${unknown.join(', ')}. Targets: ${targets.map((t) => t.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = names.length > 0 ? targets.filter((target) => names.includes(target.name)) : targets;
const concurrency = Number(process.env.MUTATE_CONCURRENCY ?? 1);

async function mutate(target: Target): Promise<MutantResult[]> {
  process.env.MUTATE_PROJECTS = target.projects.join(',');
  // A partial run (--lines) gets its own report, so the target's full one stays.
  const reportDir = `reports/mutation/${target.name}${lines ? '-lines' : ''}`;
  return new Stryker({
    mutate: lines ? [lines] : target.mutate,
    testRunner: 'vitest',
    // Named by path: pnpm keeps the runner out of the core's own node_modules, where Stryker looks.
    plugins: [fileURLToPath(import.meta.resolve('@stryker-mutator/vitest-runner'))],
    vitest: { configFile: 'mutation/vitest.config.ts' },
    coverageAnalysis: 'perTest',
    // In place: a sandbox copy would lose each package's own node_modules links (pnpm workspace).
    // Stryker restores the sources when it ends, also on Ctrl-C.
    inPlace: true,
    tempDirName: '.stryker-tmp',
    // Vitest strips types without checking them, so mutants need no `// @ts-nocheck` (which, in
    // place, Stryker would write into every source file of the workspace).
    disableTypeChecks: false,
    // A static mutant (a module-level value) reruns every test of the projects: most of a target's
    // time for a few mutants. Left out (reported as Ignored) unless --static.
    ignoreStatic: !includeStatic,
    concurrency,
    timeoutMS: 10_000,
    reporters: ['html', 'json', 'progress'],
    htmlReporter: { fileName: `${reportDir}/index.html` },
    jsonReporter: { fileName: `${reportDir}/mutation.json` },
    incremental,
    incrementalFile: `${reportDir}/incremental.json`,
    thresholds: { high: target.threshold, low: target.threshold, break: null },
    cleanTempDir: 'always',
  }).runMutationTest();
}

const rows: { target: Target; score: Score; minutes: number }[] = [];
for (const target of selected) {
  console.log(`\n== ${target.name}: ${target.description}`);
  const started = Date.now();
  const results = await mutate(target);
  const score = scoreOf(target, results);
  const minutes = (Date.now() - started) / 60_000;
  rows.push({ target, score, minutes });
  for (const mutant of score.survivors) console.log(`  survived  ${mutant}`);
  for (const mutant of score.equivalent) console.log(`  equivalent (listed)  ${mutant}`);
}

console.log(
  '\ntarget | mutants | killed | survived | no coverage | equivalent | score | threshold | minutes',
);
for (const { target, score, minutes } of rows) {
  console.log(
    [
      target.name,
      score.total,
      score.killed,
      score.survivors.length,
      score.noCoverage,
      score.equivalent.length,
      `${score.percent.toFixed(1)}%`,
      `${target.threshold}%`,
      minutes.toFixed(1),
    ].join(' | '),
  );
}
const failed = rows.filter(({ target, score }) => score.percent < target.threshold);
if (failed.length > 0) {
  console.error(`\nBelow threshold: ${failed.map(({ target }) => target.name).join(', ')}`);
  process.exitCode = 1;
}
