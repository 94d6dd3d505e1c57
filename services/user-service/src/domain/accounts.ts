import { randomUUID } from 'node:crypto';
import { badRequest, conflict, forbidden, notFound, unauthorized, type Principal } from '@shop/shared';
import type { LoginBody } from '@shop/shared/contracts';
import {
  DuplicateUserError,
  type AccountTokenRecord,
  type UserRecord,
  type UserStore,
} from '../data/userStore.ts';
import type { AccountMail } from './accountMail.ts';
import type { MailedProofs } from './mailedProofs.ts';
import type { PasswordHasher } from './passwords.ts';
import { ensureStrongPassword } from './passwordStrength.ts';
import type { Sessions, Tokens } from './sessions.ts';

export interface AccountsDeps {
  store: UserStore;
  passwords: PasswordHasher;
  sessions: Sessions;
  proofs: MailedProofs;
  mail: AccountMail;
  now: () => Date;
}

export type LoginResult = Tokens & { user: UserRecord };
type UserCaller = Extract<Principal, { kind: 'user' }>;

const TAKEN_CODES = { email: 'email_taken', username: 'username_taken' } as const;

/** A unique index refused the change: the 409 for the field it names. */
function takenConflict(error: unknown): never {
  if (!(error instanceof DuplicateUserError)) throw error;
  throw conflict(`This ${error.field} is already registered.`, TAKEN_CODES[error.field], {
    errors: [{ in: 'body', field: error.field, message: 'is already taken' }],
  });
}

/** Registration, login, look-ups and the account's own changes: the rules, with no HTTP in sight. */
export function createAccounts({ store, passwords, sessions, proofs, mail, now }: AccountsDeps) {
  const getUser = async (id: string): Promise<UserRecord> => {
    const user = await store.findById(id);
    if (!user) throw notFound('No user has this id.', 'user_not_found');
    return user;
  };

  /** The password a sensitive change needs: 403 when wrong (the caller is signed in already). */
  const ensurePassword = async (user: UserRecord, password: string) => {
    if (!(await passwords.verify(password, user.password_hash))) {
      throw forbidden('The password is wrong.', 'invalid_credentials');
    }
  };

  /** The signed-in caller of a sensitive endpoint: their session must still be active. */
  const sensitiveCaller = async (caller: UserCaller) => {
    const sessionId = await sessions.requireActive(caller);
    return { user: await getUser(caller.userId), sessionId };
  };

  /** Mails a verification (link and code) for `email`, the current address or a new one. */
  const sendVerification = async (user: UserRecord, email: string) => {
    const proof = await proofs.issue(user.id, email, 'verify_email');
    mail.send({
      user_id: user.id,
      type: 'email_verification',
      reference: proof.id,
      action: proof.action,
      ...(email === user.email ? {} : { address: email }),
    });
  };

  /** A proof of `email` was redeemed: the address is verified (and becomes the account's, if new). */
  const applyVerification = async (record: AccountTokenRecord): Promise<UserRecord> => {
    const user = await getUser(record.user_id);
    const at = now();
    const switching = record.email !== user.email;
    try {
      await store.updateUser(
        user.id,
        switching ? { email: record.email, email_verified_at: at } : { email_verified_at: at },
      );
    } catch (error) {
      takenConflict(error);
    }
    if (switching) {
      // The old address learns of the change (so a takeover does not go unnoticed).
      mail.send({ user_id: user.id, type: 'email_changed', reference: record.id, address: user.email });
    }
    mail.addressVerified(user.id);
    // Idempotent at the notification-service (one welcome per user), so a later switch sends none.
    mail.send({ user_id: user.id, type: 'welcome' });
    return getUser(user.id);
  };

  return {
    getUser,

    /** `email` arrives lowercased by the contract. Uniqueness is the store's unique indexes' call. */
    async register(input: { username: string; email: string; password: string }): Promise<UserRecord> {
      await ensureStrongPassword(input.password, [input.username, input.email], 'password');
      const user: UserRecord = {
        id: randomUUID(),
        username: input.username,
        email: input.email,
        password_hash: await passwords.hash(input.password),
        created_at: now(),
        email_verified_at: null,
      };
      try {
        await store.insertUser(user);
      } catch (error) {
        takenConflict(error);
      }
      await sendVerification(user, user.email);
      return user;
    },

    /** Wrong password and unknown email or username fail alike: same status, same body, a bcrypt run each. */
    async login(body: LoginBody): Promise<LoginResult> {
      const user =
        body.email !== undefined
          ? await store.findByEmail(body.email)
          : await store.findByUsername(body.username ?? '');
      const matches = await passwords.verify(body.password, user?.password_hash);
      if (!user || !matches)
        throw unauthorized('The email, username or password is wrong.', 'invalid_credentials');
      return { ...(await sessions.start(user.id)), user };
    },

    async refresh(refreshToken: string): Promise<LoginResult> {
      const tokens = await sessions.refresh(refreshToken);
      return { ...tokens, user: await getUser(tokens.userId) };
    },

    async verifyByLink(token: string): Promise<UserRecord> {
      const record = await proofs.redeemToken(token, 'verify_email');
      if (!record)
        throw badRequest('This verification link is unknown, used or expired.', 'verification_invalid');
      return applyVerification(record);
    },

    async verifyByCode(userId: string, code: string): Promise<UserRecord> {
      return applyVerification(await proofs.redeemCode(userId, code));
    },

    async resendVerification(userId: string): Promise<void> {
      const user = await getUser(userId);
      if (user.email_verified_at)
        throw conflict('This address is verified already.', 'email_already_verified');
      await sendVerification(user, user.email);
    },

    /** Answers nothing either way: whether an account has this address is not the caller's to learn. */
    async forgotPassword(email: string): Promise<void> {
      const user = await store.findByEmail(email);
      if (!user) return;
      const proof = await proofs.issue(user.id, user.email, 'reset_password');
      mail.send({ user_id: user.id, type: 'password_reset', reference: proof.id, action: proof.action });
    },

    /** A reset ends every session: whoever had one may be the reason for the reset. */
    async resetPassword(token: string, newPassword: string): Promise<void> {
      const record = await proofs.redeemToken(token, 'reset_password');
      if (!record) throw badRequest('This reset link is unknown, used or expired.', 'reset_token_invalid');
      const user = await getUser(record.user_id);
      await ensureStrongPassword(newPassword, [user.username, user.email], 'new_password');
      await store.updateUser(user.id, { password_hash: await passwords.hash(newPassword) });
      await sessions.endAll(user.id);
      mail.send({ user_id: user.id, type: 'password_changed', reference: record.id });
    },

    /** Ends every other session; the caller's stays signed in. */
    async changePassword(caller: UserCaller, current: string, newPassword: string): Promise<void> {
      const { user, sessionId } = await sensitiveCaller(caller);
      await ensurePassword(user, current);
      await ensureStrongPassword(newPassword, [user.username, user.email], 'new_password');
      await store.updateUser(user.id, { password_hash: await passwords.hash(newPassword) });
      await sessions.endAll(user.id, sessionId);
      mail.send({ user_id: user.id, type: 'password_changed', reference: randomUUID() });
    },

    async updateProfile(userId: string, username: string): Promise<UserRecord> {
      try {
        if (!(await store.updateUser(userId, { username })))
          throw notFound('No user has this id.', 'user_not_found');
      } catch (error) {
        takenConflict(error);
      }
      return getUser(userId);
    },

    /** The address switches only once the new one is verified (see applyVerification). */
    async changeEmail(caller: UserCaller, newEmail: string, password: string): Promise<string> {
      const { user } = await sensitiveCaller(caller);
      await ensurePassword(user, password);
      const holder = await store.findByEmail(newEmail);
      if (holder) takenConflict(new DuplicateUserError('email'));
      await sendVerification(user, newEmail);
      return newEmail;
    },

    /** Erases the account (its username and address are free again); orders keep only the user id. */
    async deleteAccount(caller: UserCaller, password: string): Promise<void> {
      const { user } = await sensitiveCaller(caller);
      await ensurePassword(user, password);
      await store.deleteUser(user.id);
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
