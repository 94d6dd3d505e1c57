import { defineConfig } from 'vitest/config';

// The vitest config Stryker runs: only the projects of the target being mutated (named by
// mutation/run.ts in MUTATE_PROJECTS), so each mutant runs the tests that can notice it, no more.
const projects = (process.env.MUTATE_PROJECTS ?? '').split(',').filter(Boolean);
if (projects.length === 0)
  throw new Error('MUTATE_PROJECTS is empty: run mutation testing with `pnpm mutate`');

export default defineConfig({ test: { projects } });
