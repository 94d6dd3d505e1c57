import { createHash, randomBytes, randomInt } from 'node:crypto';

/** An opaque token of 256 random bits (base64url): refresh tokens, link tokens. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** What is stored of a token: its SHA-256 (a token has 256 bits of entropy, so no salt is needed). */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A 6-digit code, uniform over 000000-999999. */
export const sixDigitCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * A code has only a million values, so its hash is bound to its user: a stolen table does not map
 * one hash to every account. Guessing online is stopped by the attempt limit, not by the hash.
 */
export const codeHash = (userId: string, code: string): string => sha256(`${userId}:${code}`);
