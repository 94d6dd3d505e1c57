import { DependencyError } from '@shop/shared';
import type { UserStore } from './userStore.ts';

/** Driver errors that mean "no server to talk to right now", not "this request is wrong". */
const CONNECTION_LOSS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

export function isConnectionLoss(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (typeof name !== 'string') return false;
  // With bufferCommands off, mongoose refuses queries while disconnected instead of queueing them.
  return CONNECTION_LOSS.has(name) || (name === 'MongooseError' && /bufferCommands/.test(String(message)));
}

/**
 * Every store call that fails because MongoDB is unreachable throws a DependencyError
 * (`store_unavailable`), which the HTTP edge answers with 503 instead of 500.
 */
export function unavailableWhenDisconnected(store: UserStore): UserStore {
  const guarded = { ...store };
  for (const key of Object.keys(store) as (keyof UserStore)[]) {
    const method = store[key];
    if (typeof method !== 'function' || key === 'close') continue;
    (guarded as Record<string, unknown>)[key] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      } catch (error) {
        if (isConnectionLoss(error)) {
          throw new DependencyError(
            'store_unavailable',
            'The user store is not reachable; try again shortly.',
          );
        }
        throw error;
      }
    };
  }
  return guarded;
}
