import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTAINERS_ENABLED, IMAGES, REPO_ROOT, image, podman } from '../support/podman.ts';

const folder = (name: string) => (name.endsWith('-sandbox') ? 'sandboxes' : 'services');
const devDependencies = (dir: string): string[] =>
  Object.keys(
    JSON.parse(readFileSync(resolve(REPO_ROOT, dir, 'package.json'), 'utf8')).devDependencies ?? {},
  );
const inImage = (name: string, script: string) => podman(['run', '--rm', image(name), 'sh', '-c', script]);

describe.skipIf(!CONTAINERS_ENABLED)('the images (deploy/Dockerfile)', () => {
  it.each(IMAGES)('%s runs as the non-root user node (uid 1000)', async (name) => {
    expect(await podman(['image', 'inspect', '--format', '{{.Config.User}}', image(name)])).toBe('node');
    expect(await inImage(name, 'id -u')).toBe('1000');
  });

  it.each(IMAGES)('%s holds compiled JavaScript only, with no compiler, TypeScript or tsx', async (name) => {
    expect(
      await inImage(name, 'for c in gcc g++ cc c++ make python3 tsc tsx; do command -v $c; done; true'),
    ).toBe('');
    expect(await inImage(name, 'ls /app; ls /app/dist/main.js')).toBe(
      'README.md\ndist\nnode_modules\npackage.json\n/app/dist/main.js',
    );
  });

  it.each(IMAGES)(
    '%s has better-sqlite3 built without the ObjectWrap hook that aborts on Node 24.19+',
    async (name) => {
      const addon =
        '/app/node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
      expect(
        await inImage(
          name,
          `ls ${addon} > /dev/null && grep -c RemoveEnvironmentCleanupHook ${addon} || true`,
        ),
      ).toBe('0');
    },
  );

  it.each(IMAGES)(
    "%s holds none of its own, the shared package's or the workspace's dev dependencies",
    async (name) => {
      const installed = (await inImage(name, 'ls /app/node_modules/.pnpm')).split('\n');
      const dev = [
        ...devDependencies(`${folder(name)}/${name}`),
        ...devDependencies('shared'),
        ...devDependencies('.'),
      ].filter((dependency) => !dependency.startsWith('@shop/'));
      const found = dev.filter((dependency) =>
        installed.some((entry) => entry.startsWith(`${dependency.replace('/', '+')}@`)),
      );
      expect(found).toEqual([]);
    },
  );

  it('reports the size of every image', async () => {
    const base = Number(
      await podman([
        'image',
        'inspect',
        '--format',
        '{{.Size}}',
        process.env.BASE_IMAGE ?? 'localhost/node:24-bookworm-slim',
      ]),
    );
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
    const lines = [`base image ${mb(base)}`];
    for (const name of IMAGES) {
      const size = Number(await podman(['image', 'inspect', '--format', '{{.Size}}', image(name)]));
      lines.push(`${name.padEnd(21)} ${mb(size).padStart(7)} (${mb(size - base)} over the base)`);
      expect(size).toBeGreaterThan(base);
    }
    console.log(`Image sizes:\n  ${lines.join('\n  ')}`);
  });
});
