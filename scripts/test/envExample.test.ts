import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/processes.ts';

const example = readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8');
const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

/**
 * Variable names a file reads: the keys of its zod objects, `env.NAME` accesses and quoted
 * UPPER_SNAKE names with an underscore (tables of variables), by the project's convention for variable names.
 */
function variablesIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const patterns = [
    /^\s+([A-Z][A-Z0-9_]{2,}):/gm,
    /env\.([A-Z][A-Z0-9_]{2,})\b/g,
    /'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g,
  ];
  return [...new Set(patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!)))];
}

const inFolder = (folder: string, file: string) =>
  readdirSync(resolve(REPO_ROOT, folder)).map((name) => resolve(REPO_ROOT, folder, name, file));

describe('.env.example', () => {
  // Every entry point: the services and sandboxes, `pnpm start`, the curl walkthrough, the bench.
  const files = [
    resolve(REPO_ROOT, 'shared/src/config/envSchemas.ts'),
    resolve(REPO_ROOT, 'shared/src/config/envFile.ts'),
    resolve(REPO_ROOT, 'shared/src/config/localUrls.ts'),
    resolve(REPO_ROOT, 'shared/src/startup/healthcheck.ts'),
    resolve(REPO_ROOT, 'shared/src/auth/authEnv.ts'),
    ...inFolder('services', 'src/config.ts'),
    ...inFolder('sandboxes', 'src/config.ts'),
    resolve(REPO_ROOT, 'scripts/start.ts'),
    resolve(REPO_ROOT, 'scripts/stack/startStack.ts'),
    resolve(REPO_ROOT, 'scripts/curl/urls.ts'),
    resolve(REPO_ROOT, 'bench/src/bcryptCeiling.ts'),
  ];

  it.each(files.map((f) => [f.replace(`${REPO_ROOT}/`, ''), f]))(
    'lists every variable that %s reads',
    (_name, file) => {
      const variables = variablesIn(file);
      expect(variables.length).toBeGreaterThan(0);
      expect(variables.filter((v) => !documented.has(v))).toEqual([]);
    },
  );
});
