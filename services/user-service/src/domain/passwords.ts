import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

/** bcrypt only reads the first 72 bytes; longer input would match a prefix, so it never matches. */
const BCRYPT_MAX_BYTES = 72;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `hash`. With no hash (unknown email) it still runs a full bcrypt
   * comparison against a dummy hash of the same cost, so both failures take about the same time.
   */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

export function createPasswordHasher(cost: number): PasswordHasher {
  // Made once, up front, from a random secret: no password can match it.
  const dummyHash = bcrypt.hash(randomBytes(32).toString('base64url'), cost);
  dummyHash.catch(() => undefined); // surfaced on first use instead of as an unhandled rejection

  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      const usable = hash !== undefined && Buffer.byteLength(password, 'utf8') <= BCRYPT_MAX_BYTES;
      const matches = await bcrypt.compare(password, usable ? hash : await dummyHash);
      return usable && matches;
    },
  };
}
