import { randomUUID, timingSafeEqual } from 'node:crypto';
import { badRequest } from '@shop/shared';
import type { AccountTokenRecord, UserStore } from '../data/userStore.ts';
import { codeHash, randomToken, sha256, sixDigitCode } from './secrets.ts';

export interface ProofSettings {
  store: UserStore;
  /** Where the links in mails point; the token travels in the URL's fragment (see README). */
  linkBaseUrl: string;
  verificationTtlMs: number;
  resetTtlMs: number;
  /** Wrong codes a verification takes before it is void. */
  maxWrongCodes: number;
  now: () => Date;
}

const LINK_PATHS = { verify_email: 'verify-email', reset_password: 'reset-password' } as const;

/**
 * Single-use, expiring proofs sent by mail (address verification, password reset): only their
 * hashes are stored, and a new one voids the user's earlier open one of the same purpose.
 */
export function createMailedProofs({
  store,
  linkBaseUrl,
  verificationTtlMs,
  resetTtlMs,
  maxWrongCodes,
  now,
}: ProofSettings) {
  const usable = (record: AccountTokenRecord | undefined, purpose: AccountTokenRecord['purpose']) =>
    record && record.purpose === purpose && !record.used_at && record.expires_at > now() ? record : undefined;

  return {
    /** A new proof for `email`; answers what the mail carries (never stored in clear). */
    async issue(userId: string, email: string, purpose: AccountTokenRecord['purpose']) {
      const token = randomToken();
      const code = purpose === 'verify_email' ? sixDigitCode() : undefined;
      const created = now();
      const ttl = purpose === 'verify_email' ? verificationTtlMs : resetTtlMs;
      const id = randomUUID();
      await store.createAccountToken({
        id,
        user_id: userId,
        purpose,
        email,
        token_hash: sha256(token),
        code_hash: code ? codeHash(userId, code) : null,
        wrong_codes: 0,
        expires_at: new Date(created.getTime() + ttl),
        used_at: null,
        created_at: created,
      });
      // A fragment never reaches a server's access log, so the link's token stays out of logs.
      const url = `${linkBaseUrl.replace(/\/+$/, '')}/${LINK_PATHS[purpose]}#token=${token}`;
      return { id, action: code ? { url, code } : { url } };
    },

    /** Spends the proof a link carried; undefined when it is unknown, used, expired or of another purpose. */
    async redeemToken(token: string, purpose: AccountTokenRecord['purpose']) {
      const record = usable(await store.findAccountTokenByHash(sha256(token)), purpose);
      if (!record || !(await store.useAccountToken(record.id, now()))) return undefined;
      return record;
    },

    /**
     * Spends the user's open verification if `code` is its code. Each wrong code counts; at the
     * limit the verification is void and a new mail is needed, so a code cannot be guessed.
     */
    async redeemCode(userId: string, code: string): Promise<AccountTokenRecord> {
      const record = usable(await store.findOpenAccountToken(userId, 'verify_email'), 'verify_email');
      if (!record || record.wrong_codes >= maxWrongCodes) {
        throw badRequest(
          'There is no open verification: ask for a new mail (POST /api/user/me/verify-email/resend).',
          'verification_expired',
        );
      }
      const right = Buffer.from(codeHash(userId, code));
      if (!record.code_hash || !timingSafeEqual(right, Buffer.from(record.code_hash))) {
        const wrong = await store.recordWrongCode(record.id);
        if (wrong >= maxWrongCodes) await store.useAccountToken(record.id, now());
        const left = Math.max(0, maxWrongCodes - wrong);
        throw badRequest(
          left > 0
            ? `The code is wrong; ${left} ${left === 1 ? 'try' : 'tries'} left.`
            : 'The code is wrong, and that was the last try: ask for a new mail.',
          'verification_invalid',
        );
      }
      if (!(await store.useAccountToken(record.id, now()))) {
        throw badRequest('This verification was used already.', 'verification_expired');
      }
      return record;
    },
  };
}

export type MailedProofs = ReturnType<typeof createMailedProofs>;
