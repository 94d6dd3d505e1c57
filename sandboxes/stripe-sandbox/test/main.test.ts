import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tsxArgs } from '@shop/shared/startup';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('dev entry (src/main.ts)', () => {
  it('when started with STRIPE_SANDBOX_PORT=0 it prints one JSON line with its URL, serves requests, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, tsxArgs('src/main.ts'), {
      cwd: packageDir,
      env: { ...process.env, STRIPE_SANDBOX_PORT: '0', HOST: '127.0.0.1', SHOP_ENV_FILE: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.setEncoding('utf8');
      const firstLine = new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('\n')) resolve(output.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const line = JSON.parse(await firstLine) as { url: string };
      expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${line.url}/health`);
      expect(health.status).toBe(200);

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('when STRIPE_SANDBOX_PORT is already in use, it exits 1 after one line naming it', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const { port } = taken.address() as AddressInfo;
    try {
      const child = spawn(process.execPath, tsxArgs('src/main.ts'), {
        cwd: packageDir,
        env: { ...process.env, STRIPE_SANDBOX_PORT: String(port), HOST: '127.0.0.1', SHOP_ENV_FILE: 'none' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `Cannot listen: STRIPE_SANDBOX_PORT=${port} is already in use on 127.0.0.1 (EADDRINUSE); stop what uses it or set another port`,
      ]);
    } finally {
      taken.close();
    }
  });
});
