import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import express, { type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@shop/shared';
import { authEnvFor, listen, testKeys, waitUntil } from '@shop/shared/testing';
import { tsxArgs } from '@shop/shared/startup';
import { openOrderStore } from '../src/data/sqliteOrderStore.ts';
import { LAPTOP, asService, asUser, buildApp, newUserId } from './helpers.ts';

// The real entry point, as separate OS processes: start-up checks, and two processes writing
// one SQLite file truly in parallel.
const SERVICE_DIR = resolve(import.meta.dirname, '..');

function runMain(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, tsxArgs('src/main.ts'), {
    cwd: SERVICE_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      SHOP_ENV_FILE: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the URL from the service's "listening" log line (the port is 0, so it is only known there). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('order-service did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`order-service exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; url?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return; // not a log line
      }
      if (entry.msg === 'listening' && entry.url) {
        clearTimeout(timer);
        resolveUrl(entry.url);
      }
    });
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((done) => child.once('exit', (code) => done({ code, stderr })));
}

describe('the order-service process', () => {
  it('when ORDER_SERVICE_PORT is not a number, it stops with exit code 1 and one clear line', async () => {
    const { code, stderr } = await exitOf(runMain({ ORDER_SERVICE_PORT: 'abc' }));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration: ORDER_SERVICE_PORT must be a whole number from 0 to 65535 (got "abc")',
    ]);
  });

  it('when ORDER_SERVICE_PORT is already in use, it stops with exit code 1 and one line naming it', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, stderr } = await exitOf(
        runMain({ ORDER_SERVICE_PORT: String(port), ORDER_DB_PATH: ':memory:' }),
      );
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `Cannot listen: ORDER_SERVICE_PORT=${port} is already in use on 127.0.0.1 (EADDRINUSE); stop what uses it or set another port`,
      ]);
    } finally {
      taken.close();
    }
  });

  it('in production without its service keys, it stops with exit code 1 and one line naming each missing key', async () => {
    const { code, stderr } = await exitOf(
      runMain({ NODE_ENV: 'production', JWT_PUBLIC_KEY: testKeys.publicKey, ORDER_DB_PATH: ':memory:' }),
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration: SERVICE_SIGNING_KEY (or SERVICE_SIGNING_KEY_FILE), PAYMENT_SERVICE_PUBLIC_KEY (or PAYMENT_SERVICE_PUBLIC_KEY_FILE), NOTIFICATION_SERVICE_PUBLIC_KEY (or NOTIFICATION_SERVICE_PUBLIC_KEY_FILE) must be set in production (not set)',
    ]);
  });

  it('in production with a signing key that is not EC P-256, it stops with exit code 1 and one line naming SERVICE_SIGNING_KEY', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const env = { ...authEnvFor('order-service'), SERVICE_SIGNING_KEY: String(rsa) };
    const { code, stderr } = await exitOf(
      runMain({ ...env, NODE_ENV: 'production', ORDER_DB_PATH: ':memory:' }),
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration: SERVICE_SIGNING_KEY must be an EC P-256 (prime256v1) key (got a key of type rsa)',
    ]);
  });

  it('when started alone, it reads the env file (SHOP_ENV_FILE, else .env at the repo root)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'order-env-'));
    const file = join(dir, 'test.env');
    writeFileSync(file, 'ORDER_DEFAULT_CURRENCY=XYZ\n');
    try {
      const { code, stderr } = await exitOf(runMain({ SHOP_ENV_FILE: file }));
      expect(code).toBe(1);
      expect(stderr.trim()).toMatch(/^Invalid configuration: ORDER_DEFAULT_CURRENCY .*\(got "XYZ"\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the process is killed (SIGKILL) while its order_created request is unanswered, the next process on the same file sends it, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'order-crash-'));
    const calls: string[] = [];
    const hanging: Response[] = [];
    const standIn = express().use(express.json());
    standIn.post('/api/notify', (req, res) => {
      const { order_id } = req.body as { order_id: string };
      calls.push(order_id);
      // The first try never gets its answer: the process dies while it waits.
      if (calls.length === 1) return void hanging.push(res);
      res.json({ notification_id: order_id, status: 'sent' });
    });
    const notifications = await listen(standIn);
    const env = {
      ...authEnvFor('order-service'),
      ORDER_SERVICE_PORT: '0',
      ORDER_DB_PATH: join(dir, 'orders.sqlite'),
      NOTIFICATION_SERVICE_URL: notifications.url,
      ORDER_MAIL_WORKER_INTERVAL_MS: '20',
    };
    let child = runMain(env);
    try {
      const url = await listeningUrl(child);
      const created = await fetch(`${url}/api/order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asUser(newUserId()) },
        body: JSON.stringify(LAPTOP),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      await waitUntil(() => calls.length === 1, { what: 'the first try' });
      const killed = exitOf(child);
      child.kill('SIGKILL');
      await killed;

      child = runMain(env);
      await listeningUrl(child);
      // Its worker waits for the dead try's hold (ORDER_MAIL_TIMEOUT_MS + 1 s) to end.
      await waitUntil(() => calls.length === 2, { what: 'the next process sending it', timeoutMs: 15_000 });
      const store = openOrderStore(env.ORDER_DB_PATH);
      try {
        await waitUntil(() => store.owedMails.find(id)?.state === 'done', { what: 'its row done' });
      } finally {
        store.close();
      }
      expect(calls).toEqual([id, id]);
    } finally {
      const exited = child.exitCode === null ? exitOf(child) : undefined;
      child.kill('SIGTERM');
      await exited;
      for (const res of hanging) res.destroy();
      await notifications.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('next to an in-process instance on the same database file', () => {
    let dir: string;
    let child: ChildProcess;
    let childUrl: string;
    let local: RunningServer;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'order-proc-'));
      const file = join(dir, 'orders.sqlite');
      const { app, store } = buildApp({ store: openOrderStore(file) });
      local = await listen(app, undefined, () => store.close());
      child = runMain({ ...authEnvFor('order-service'), ORDER_SERVICE_PORT: '0', ORDER_DB_PATH: file });
      childUrl = await listeningUrl(child);
    });
    afterAll(async () => {
      const exited = child && child.exitCode === null ? exitOf(child) : undefined;
      child?.kill('SIGTERM');
      await exited;
      await local?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('when started on port 0 with a file database, /health and /ready answer 200', async () => {
      expect((await fetch(`${childUrl}/health`)).status).toBe(200);
      expect((await fetch(`${childUrl}/ready`)).status).toBe(200);
    });

    it('when two processes race to mark the same orders Paid, each order gets exactly one Paid entry', async () => {
      const json = { 'content-type': 'application/json' };
      for (let round = 0; round < 5; round++) {
        const owner = newUserId();
        const created = await fetch(`${local.url}/api/order`, {
          method: 'POST',
          headers: { ...json, ...asUser(owner) },
          body: JSON.stringify(LAPTOP),
        });
        const { id } = (await created.json()) as { id: string };
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fetch(`${i % 2 ? childUrl : local.url}/api/order/${id}`, {
              method: 'PATCH',
              headers: { ...json, ...asService() },
              body: JSON.stringify({ status: 'Paid' }),
            }).then((r) => r.status),
          ),
        );
        expect(statuses).toEqual(Array(20).fill(200));
        const history = await fetch(`${childUrl}/api/order/${id}/history`, { headers: asUser(owner) });
        const body = (await history.json()) as { history: Array<{ to: string }> };
        expect(body.history.map((h) => h.to)).toEqual(['Pending', 'Paid']);
      }
    });

    it('when SIGTERM arrives, it shuts down cleanly with exit code 0', async () => {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
    });
  });
});
