import { ConfigError } from '../config/loadConfig.ts';

export type SynchronousMode = 'FULL' | 'NORMAL';

/**
 * Every store commits with `synchronous = FULL`: in WAL mode each commit fsyncs the WAL before it
 * returns, so a commit acknowledged to a client (an order's 201, a payment's outcome with its
 * follow-ups, a mail marked sent) survives an OS crash or a power cut. NORMAL only survives a
 * crash of the process. It costs about 0.13 ms per commit on the build machine (see docs/reliability.md).
 *
 * BENCH_SQLITE_SYNCHRONOUS=NORMAL exists only so `pnpm bench` can measure the old setting beside
 * the new one in one run; it is refused in production and anything else is refused everywhere.
 */
export function synchronousMode(env: NodeJS.ProcessEnv = process.env): SynchronousMode {
  const requested = env.BENCH_SQLITE_SYNCHRONOUS;
  if (requested === undefined || requested === '') return 'FULL';
  if (requested !== 'NORMAL') {
    throw new ConfigError(
      `Invalid configuration: BENCH_SQLITE_SYNCHRONOUS must be NORMAL or unset (got ${JSON.stringify(requested)})`,
    );
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration: BENCH_SQLITE_SYNCHRONOUS is for benchmarks and is refused in production (unset it)',
    );
  }
  return 'NORMAL';
}
