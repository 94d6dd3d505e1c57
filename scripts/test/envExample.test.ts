import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/processes.ts';

const example = readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8');
const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

/** Variable names a config schema reads: the keys of its zod objects (UPPER_SNAKE by convention). */
function variablesIn(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1]!);
}

describe('.env.example', () => {
  const files = [
    resolve(REPO_ROOT, 'shared/src/config/envSchemas.ts'),
    resolve(REPO_ROOT, 'shared/src/auth/authEnv.ts'),
    ...readdirSync(resolve(REPO_ROOT, 'services')).map((s) =>
      resolve(REPO_ROOT, 'services', s, 'src/config.ts'),
    ),
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
