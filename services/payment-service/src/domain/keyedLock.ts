/**
 * Runs async work one at a time per key (here: per order) inside this process. Together with the
 * UNIQUE order_id row and Stripe's idempotency keys, it keeps concurrent pay-order calls for one
 * order from racing: each waits for the previous one and then sees its result.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
