import bcrypt from 'bcrypt';

/**
 * How many bcrypt.compare per second this machine does at `cost`, with the parallelism the
 * user-service has: the libuv threadpool (UV_THREADPOOL_SIZE, default 4), kept full.
 */
export async function bcryptCeiling(
  cost: number,
  seconds: number,
): Promise<{ perSec: number; threads: number }> {
  const password = 'ceiling-password';
  const hash = await bcrypt.hash(password, cost);
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: threads }, async () => {
      while (performance.now() < deadline) {
        if (!(await bcrypt.compare(password, hash))) throw new Error('bcrypt.compare did not match');
        done++;
      }
    }),
  );
  return { perSec: done / ((performance.now() - started) / 1000), threads };
}
