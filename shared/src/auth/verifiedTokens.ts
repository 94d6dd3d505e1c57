import type { Principal } from './tokens.ts';

/**
 * Tokens already verified, so a caller that sends the same token again skips the ES256 check (a
 * quarter of a token-checked request's CPU, bench/README.md). Safe because a token is immutable:
 * the key is the whole token string, signature included, so any other string is checked afresh.
 *
 * - An entry is used only while `Date.now()` is before the token's `exp` (jsonwebtoken's own rule),
 *   so a cached token is never accepted past its expiry; a token without `exp` is not kept.
 * - Only successes are kept: a refused token is checked again every time.
 * - One cache per set of verification keys (a WeakMap on the keys object), so a token verified by
 *   one service, or with other keys, is never taken as verified by another.
 * - Bounded: the least recently used entry goes when MAX_ENTRIES is reached.
 *
 * Revocation: user tokens are verified locally and there is no per-token revocation list today;
 * a token stays valid until its `exp` with or without this cache. If one is added, verifyToken must
 * consult it on every call, cache hit or not: this cache is the one place that answers early.
 */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  /** The token's `exp` in ms: the entry is refused from this instant on. */
  expiresAtMs: number;
}

const caches = new WeakMap<object, Map<string, Entry>>();

function cacheFor(keys: object): Map<string, Entry> {
  let cache = caches.get(keys);
  if (!cache) caches.set(keys, (cache = new Map()));
  return cache;
}

/** The principal of a token verified earlier with these keys and not yet expired, else undefined. */
export function verifiedEarlier(keys: object, token: string): Principal | undefined {
  const cache = caches.get(keys);
  const entry = cache?.get(token);
  if (!entry) return undefined;
  cache!.delete(token);
  if (Date.now() >= entry.expiresAtMs) return undefined;
  cache!.set(token, entry); // most recently used goes last
  return entry.principal;
}

/** Keeps a token that just passed verification until its `exp` (seconds since the epoch). */
export function rememberVerified(keys: object, token: string, principal: Principal, exp: unknown): Principal {
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return principal;
  const cache = cacheFor(keys);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(token, { principal, expiresAtMs: exp * 1000 });
  return principal;
}

/** How many tokens are kept for these keys (the bound is MAX_ENTRIES). */
export function rememberedCount(keys: object): number {
  return caches.get(keys)?.size ?? 0;
}
