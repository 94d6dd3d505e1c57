import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

export interface LockHolder {
  /** Rolls back, closes the database and waits for the process to end. */
  release(): Promise<void>;
  /** Ends the process at once (for clean-up after a failed test). */
  kill(): void;
}

/**
 * Another OS process opens the SQLite file at `path` and holds its write lock (BEGIN IMMEDIATE)
 * until released: what a backup tool or an operator's sqlite3 shell left in a transaction does.
 */
export async function holdWriteLock(path: string): Promise<LockHolder> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require(${JSON.stringify(sqlite)}))(${JSON.stringify(path)});
       db.exec('BEGIN IMMEDIATE');
       console.log('locked');
       process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
       process.stdin.resume();`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'),
    exited.then(([code]) => {
      throw new Error(`the lock holder exited with ${String(code)} before taking the lock`);
    }),
  ])) as [string];
  if (line !== 'locked') throw new Error(`the lock holder said ${line}`);
  return {
    async release() {
      child.stdin!.end();
      await exited;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
