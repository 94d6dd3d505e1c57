import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsxArgs } from '../src/index.ts';

// The images' HEALTHCHECK: `node -e "import('@shop/shared/healthcheck')"` with SHOP_PROCESS set.
// Run asynchronously: this process's own server must keep answering meanwhile.
const check = (env: Record<string, string>) =>
  new Promise<{ status: number | null; stderr: string }>((done) => {
    const entry = new URL('../src/startup/healthcheck.ts', import.meta.url).pathname;
    const child = execFile(process.execPath, tsxArgs(entry), { env: { PATH: process.env.PATH, ...env } });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => done({ status, stderr }));
  });

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('the container healthcheck', () => {
  it('when the process answers /health on the port its variable sets, it exits 0', async () => {
    expect((await check({ SHOP_PROCESS: 'order-service', ORDER_SERVICE_PORT: String(port) })).status).toBe(0);
  });

  it('when nothing answers on that port, it exits 1 naming the process and port', async () => {
    const run = await check({ SHOP_PROCESS: 'order-service', ORDER_SERVICE_PORT: '9' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('healthcheck: order-service on port 9');
  });

  it('when SHOP_PROCESS names no process of the shop, it exits 1 with one line saying so', async () => {
    const run = await check({ SHOP_PROCESS: 'nope' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /^healthcheck: SHOP_PROCESS must name one of stripe-sandbox, .* \(got "nope"\)$/,
    );
  });
});
