import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notificationApi, orderApi, paymentApi, userApi } from '@shop/shared/contracts';
import { REPO_ROOT } from '../stack/processes.ts';

/** Every .ts file below `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const SERVICES = readdirSync(resolve(REPO_ROOT, 'services'));
const serviceSources = (service: string) => sourceFiles(resolve(REPO_ROOT, 'services', service, 'src'));
const rel = (path: string) => relative(REPO_ROOT, path);

/** The files a file imports by relative path (type-only imports included: they are dependencies too). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(file), m[1]!));
}

/** One import circle among `files`, as a list of files, or undefined when there is none. */
function findCircle(files: string[]): string[] | undefined {
  const graph = new Map(files.map((f) => [f, relativeImports(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const circle = visit(next);
      if (circle) return circle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of files) {
    const circle = visit(file);
    if (circle) return circle;
  }
  return undefined;
}

describe('the layout every service follows', () => {
  it.each(SERVICES)('%s: no import circle in src/', (service) => {
    expect(findCircle(serviceSources(service))?.map(rel)).toBeUndefined();
  });

  it('each endpoint path is written once in the sources: in its contract', () => {
    const files = [...sourceFiles(resolve(REPO_ROOT, 'shared/src')), ...SERVICES.flatMap(serviceSources)];
    const texts = files.map((file) => ({ file: rel(file), text: readFileSync(file, 'utf8') }));
    const paths = [userApi, orderApi, paymentApi, notificationApi].flatMap((api) =>
      Object.values(api.endpoints).map((e) => e.path),
    );
    const written = Object.fromEntries(
      [...new Set(paths)].map((path) => [
        path,
        texts
          .filter(({ text }) => text.includes(`'${path}'`) || text.includes(`\`${path}\``))
          .map((t) => t.file),
      ]),
    );
    for (const [path, where] of Object.entries(written) as [string, string[]][]) {
      expect(where, path).toHaveLength(1);
      expect(where[0], path).toMatch(/^shared\/src\/contracts\//);
    }
  });

  it('domain and data code speak no HTTP: no status codes, no 5xx errors', () => {
    const offending = SERVICES.flatMap(serviceSources)
      .filter((file) => /\/src\/(domain|data)\//.test(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${rel(file)}:${i + 1}` }))
          .filter(({ line }) =>
            /status: 20\d|AppError\(5\d\d|serviceUnavailable\(|badGateway\(|from 'express'/.test(line),
          )
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offending).toEqual([]);
  });
});
