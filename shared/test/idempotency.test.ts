import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppError,
  IDEMPOTENCY_LEASE_MS,
  runIdempotently,
  sqliteIdempotencyKeys,
  type Answer,
  type IdempotencyOptions,
} from '../src/index.ts';

// The same table the services create by their own migrations.
const TABLE = `CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, response TEXT,
  created_at INTEGER NOT NULL, PRIMARY KEY (scope, key))`;

let db: Database.Database;
afterEach(() => db?.close());

function keysAt(clock: { now: number }): IdempotencyOptions {
  db = new Database(':memory:');
  db.exec(TABLE);
  return { keys: sqliteIdempotencyKeys(db), retentionMs: 24 * 3600_000, now: () => clock.now };
}

const ok = (body: unknown): Answer => ({ status: 201, body });

describe('runIdempotently', () => {
  it('when the first request still runs, a repeat answers 409 idempotency_request_in_progress', async () => {
    const options = keysAt({ now: 1_000 });
    let finish!: (answer: Answer) => void;
    const first = runIdempotently(options, 's', 'k', 'f', () => new Promise<Answer>((r) => (finish = r)));
    await expect(runIdempotently(options, 's', 'k', 'f', () => ok('again'))).rejects.toMatchObject({
      status: 409,
      code: 'idempotency_request_in_progress',
    });
    finish(ok('first'));
    expect(await first).toEqual(ok('first'));
    expect(await runIdempotently(options, 's', 'k', 'f', () => ok('again'))).toMatchObject({
      body: 'first',
      headers: { 'Idempotent-Replayed': 'true' },
    });
  });

  it('when a first request was left unfinished past its lease (a crash), a repeat runs again', async () => {
    const clock = { now: 1_000 };
    const options = keysAt(clock);
    void runIdempotently(options, 's', 'k', 'f', () => new Promise<Answer>(() => {}));
    clock.now += IDEMPOTENCY_LEASE_MS + 1;
    expect(await runIdempotently(options, 's', 'k', 'f', () => ok('retried'))).toEqual(ok('retried'));
  });

  it('when the handler fails with a 5xx, nothing is kept and the retry runs again', async () => {
    const options = keysAt({ now: 1_000 });
    const failing = () => Promise.reject(new AppError(502, 'upstream_error', 'down'));
    await expect(runIdempotently(options, 's', 'k', 'f', failing)).rejects.toMatchObject({ status: 502 });
    expect(await runIdempotently(options, 's', 'k', 'f', () => ok('retried'))).toEqual(ok('retried'));
  });

  it('when the handler answers a 4xx, the same problem is replayed and the work is not done again', async () => {
    const options = keysAt({ now: 1_000 });
    let runs = 0;
    const declined = async (): Promise<Answer> => {
      runs++;
      throw new AppError(402, 'card_declined', 'declined', { decline_code: 'generic_decline' });
    };
    await expect(runIdempotently(options, 's', 'k', 'f', declined)).rejects.toMatchObject({ status: 402 });
    const replay = runIdempotently(options, 's', 'k', 'f', declined);
    await expect(replay).rejects.toMatchObject({
      status: 402,
      code: 'card_declined',
      extras: { decline_code: 'generic_decline' },
      headers: { 'Idempotent-Replayed': 'true' },
    });
    expect(runs).toBe(1);
  });

  it('when a synchronous handler throws a 5xx, its writes roll back with the key', async () => {
    const options = keysAt({ now: 1_000 });
    db.exec('CREATE TABLE things (id INTEGER)');
    const insert = db.prepare('INSERT INTO things VALUES (1)');
    const crashing = () => {
      insert.run();
      throw new Error('crash after the write');
    };
    await expect(runIdempotently(options, 's', 'k', 'f', crashing)).rejects.toThrow('crash after the write');
    expect(db.prepare('SELECT COUNT(*) AS n FROM things').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get()).toEqual({ n: 0 });
  });

  it('when keys are older than the retention, a write purges them', async () => {
    const clock = { now: 1_000 };
    const options = keysAt(clock);
    await runIdempotently(options, 's', 'old', 'f', () => ok(1));
    clock.now += options.retentionMs + 60_000;
    await runIdempotently(options, 's', 'new', 'f', () => ok(2));
    expect(db.prepare('SELECT key FROM idempotency_keys').all()).toEqual([{ key: 'new' }]);
  });
});
