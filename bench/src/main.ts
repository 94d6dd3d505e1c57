import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnvFile } from '@shop/shared';
import { buildWorkspace } from '../../scripts/stack/build.ts';
import { parseOptions, USAGE } from './options.ts';
import { formatReport } from './report.ts';
import { runBench } from './runBench.ts';

// pnpm bench [options]: see bench/README.md.
const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../results');

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
try {
  loadEnvFile();
  if (options.runtime === 'compiled') buildWorkspace();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const started = performance.now();
const report = await runBench(options);
const out = options.out ?? resolve(RESULTS_DIR, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${formatReport(report)}\n`);
console.log(`Results: ${out} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
