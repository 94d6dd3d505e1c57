import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ServiceMetrics,
  apiRouter,
  createServiceApp,
  openSqlite,
  pingSqlite,
  type Implementation,
  type RunningServer,
  type SqliteDatabase,
} from '../src/index.ts';
import { defineApi, endpoint } from '../src/contracts/index.ts';
import {
  captureLogs,
  testAuthKeys,
  holdWriteLock,
  listen,
  mountExt4,
  mountTmpfs,
  scratchMountProblem,
  type ScratchExt4,
  type LockHolder,
  type ScratchFilesystem,
} from '../src/testing/index.ts';

// Real faults under a real service app: a tmpfs filled to ENOSPC, an ext4 the kernel turns
// read-only, and a second process holding the write lock. Each store write is one transaction of
// an entry and three lines of about 3 KB, so a half-written one would show as lines without entry.
const MIGRATIONS = [
  `CREATE TABLE entries (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
   CREATE TABLE lines (entry_id INTEGER NOT NULL REFERENCES entries (id), text TEXT NOT NULL);`,
];

interface Ledger {
  server: RunningServer;
  db: SqliteDatabase;
  lines: string[];
  post(): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null; ms: number }>;
  get(path: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }>;
  counts(): { entries: number; lines: number };
}

/** A tiny service over one SQLite file: each entry is written with its lines in one transaction. */
const ledgerApi = defineApi({
  service: 'ledger',
  description: 'Entries, for the storage fault tests.',
  endpoints: {
    record: endpoint({
      operationId: 'recordEntry',
      tag: 'ledger',
      method: 'post',
      path: '/entries',
      summary: 'Records an entry with three lines',
      access: 'public',
      responses: { 201: { description: 'Recorded.', schema: z.object({ id: z.number() }) } },
    }),
    count: endpoint({
      operationId: 'countEntries',
      tag: 'ledger',
      method: 'get',
      path: '/entries/count',
      summary: 'How many entries there are',
      access: 'public',
      responses: { 200: { description: 'The count.', schema: z.object({ entries: z.number() }) } },
    }),
  },
});

async function startLedger(file: string): Promise<Ledger> {
  const db = openSqlite(file, MIGRATIONS);
  const insertEntry = db.prepare('INSERT INTO entries (note) VALUES (?)');
  const insertLine = db.prepare('INSERT INTO lines (entry_id, text) VALUES (?, ?)');
  const record = db.transaction((note: string) => {
    const id = Number(insertEntry.run(note).lastInsertRowid);
    for (let i = 0; i < 3; i++) insertLine.run(id, `${note}-${i}-${'x'.repeat(3000)}`);
    return id;
  });
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const handlers: Implementation<typeof ledgerApi> = {
    record: () => ({ status: 201, body: { id: record.immediate(`entry-${Date.now()}`) } }),
    count: () => ({ status: 200, body: { entries: count('entries') } }),
  };
  const { logger, lines } = captureLogs('ledger');
  const app = createServiceApp({
    api: ledgerApi,
    routes: apiRouter(ledgerApi, handlers, testAuthKeys('ledger')),
    logger,
    metrics: new ServiceMetrics('ledger'),
    readiness: () => pingSqlite(db),
  });
  const server = await listen(app, logger, () => {
    db.close();
  });
  const timed = async (path: string, method = 'GET') => {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, { method, signal: AbortSignal.timeout(15_000) });
    const body = (await res.json()) as Record<string, unknown>;
    return { res, body, ms: performance.now() - started };
  };
  return {
    server,
    db,
    lines,
    async post() {
      const { res, body, ms } = await timed('/entries', 'POST');
      return { status: res.status, body, retryAfter: res.headers.get('retry-after'), ms };
    },
    async get(path) {
      const { res, body, ms } = await timed(path);
      return { status: res.status, body, ms };
    },
    counts: () => ({ entries: count('entries'), lines: count('lines') }),
  };
}

/** The problem document of a storage fault: the code, no SQLite internals. */
function expectStorageProblem(body: Record<string, unknown>, code: string) {
  expect(body).toMatchObject({ status: 503, code, type: `urn:shop:problem:${code}` });
  expect(JSON.stringify(body)).not.toMatch(/sqlite|SQLITE_|disk i\/o|\/tmp\//i);
}

const tmpfsProblem = scratchMountProblem('tmpfs');
const ext4Problem = scratchMountProblem('ext4');
if (tmpfsProblem) console.warn(`[shared] storage fault tests on tmpfs skipped: ${tmpfsProblem}`);
if (ext4Problem) console.warn(`[shared] storage fault tests on ext4 skipped: ${ext4Problem}`);

describe.skipIf(tmpfsProblem)('a full disk (a 16 MB tmpfs filled to ENOSPC)', () => {
  let fs: ScratchFilesystem;
  let ledger: Ledger;
  beforeAll(async () => {
    fs = mountTmpfs(16);
    ledger = await startLedger(join(fs.dir, 'ledger.sqlite'));
  });
  afterAll(async () => {
    await ledger?.server.close();
    fs?.unmount();
  });

  it('when the disk fills, a write answers 503 store_full with Retry-After and nothing of it is stored; /ready turns 503, and both work again once space is freed', async () => {
    expect((await ledger.post()).status).toBe(201);
    const before = ledger.counts();

    fs.fill();
    const refused = await ledger.post();
    expect(refused.status).toBe(503);
    expectStorageProblem(refused.body, 'store_full');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(ledger.counts(), 'no entry and no line of the refused write').toEqual(before);
    expect(ledger.db.inTransaction, 'the transaction was rolled back whole').toBe(false);
    const notReady = await ledger.get('/ready');
    expect(notReady.status, '/ready while the disk is full').toBe(503);
    expect(notReady.body).toMatchObject({ code: 'not_ready', reason: 'store_full' });
    expect((await ledger.get('/entries/count')).status, 'reads still work').toBe(200);
    expect((await ledger.get('/health')).status).toBe(200);

    fs.free();
    expect((await ledger.get('/ready')).status, '/ready once space is back').toBe(200);
    expect((await ledger.post()).status).toBe(201);
    expect(ledger.counts()).toEqual({ entries: before.entries + 1, lines: before.lines + 3 });
  });
});

describe.skipIf(ext4Problem)('a filesystem turned read-only (ext4 after a disk error)', () => {
  let fs: ScratchExt4;
  let ledger: Ledger;
  beforeAll(async () => {
    fs = mountExt4(32);
    ledger = await startLedger(join(fs.dir, 'ledger.sqlite'));
  });
  afterAll(async () => {
    await ledger?.server.close();
    fs?.unmount();
  });

  it('when the kernel remounts the filesystem read-only under the open database, writes answer 503 store_unavailable at once, reads still answer, and /ready is 503', async () => {
    expect((await ledger.post()).status).toBe(201);
    const before = ledger.counts();

    fs.failReadOnly();
    const refused = await ledger.post();
    expect(refused.status).toBe(503);
    expectStorageProblem(refused.body, 'store_unavailable');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.ms, 'answered without waiting').toBeLessThan(1_000);
    expect(ledger.counts()).toEqual(before);
    const notReady = await ledger.get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ code: 'not_ready', reason: 'store_unavailable' });
    expect(await ledger.get('/entries/count')).toMatchObject({ status: 200, body: { entries: 1 } });
    expect(
      ledger.lines.some((line) => line.includes('SQLITE_IOERR')),
      'the SQLite code is logged',
    ).toBe(true);
  });
});

describe('a database locked by another process', () => {
  let dir: string;
  let ledger: Ledger;
  let holder: LockHolder | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-lock-'));
    ledger = await startLedger(join(dir, 'ledger.sqlite'));
  });
  afterEach(() => holder?.kill());
  afterAll(async () => {
    await ledger?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when another process holds the write lock, writes answer 503 store_busy within 0.5 s while /health answers at once; reads work; once released, writes work again', async () => {
    expect((await ledger.post()).status).toBe(201);
    holder = await holdWriteLock(ledger.db.name);

    const [first, second, health] = await Promise.all([ledger.post(), ledger.post(), ledger.get('/health')]);
    for (const refused of [first, second]) {
      expect(refused.status).toBe(503);
      expectStorageProblem(refused.body, 'store_busy');
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.ms, 'store_busy answered fast').toBeLessThan(500);
    }
    expect(health.status).toBe(200);
    expect(health.ms, '/health is not held up by the lock').toBeLessThan(250);
    expect((await ledger.get('/entries/count')).status, 'reads do not need the write lock').toBe(200);
    expect((await ledger.get('/ready')).body).toMatchObject({ code: 'not_ready', reason: 'store_busy' });

    await holder.release();
    holder = undefined;
    expect((await ledger.post()).status).toBe(201);
    expect((await ledger.get('/ready')).status).toBe(200);
  });
});
