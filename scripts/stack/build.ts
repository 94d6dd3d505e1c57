import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Imports nothing of the workspace: vitest loads this (globalSetup) before any package is built,
// and without the @shop/source condition the packages resolve to their not yet built dist/.
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles every service and sandbox to `dist/` (tsc -b tsconfig.build.json). Incremental: with
 * nothing changed it takes about a second, so every entry point that runs compiled output calls it.
 */
export function buildWorkspace(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error('the build failed (tsc -b tsconfig.build.json): see the errors above');
}
