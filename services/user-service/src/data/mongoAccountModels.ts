import { Schema, type Connection } from 'mongoose';
import type { AccountTokenMethods, AccountTokenRecord, SessionMethods } from './userStore.ts';

/** A login session; `_id` is its UUID (the access tokens' `sid`). */
interface SessionDocument {
  _id: string;
  user_id: string;
  created_at: Date;
  ended_at: Date | null;
}

/** A refresh token, under its SHA-256 hash as `_id` (unique by construction). */
interface RefreshTokenDocument {
  _id: string;
  session_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
}

type AccountTokenDocument = Omit<AccountTokenRecord, 'id'> & { _id: string };

const options = { versionKey: false, autoIndex: false, strict: true } as const;

const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    user_id: { type: String, required: true },
    created_at: { type: Date, required: true },
    ended_at: { type: Date, default: null },
  },
  { ...options, collection: 'sessions' },
);
sessionSchema.index({ user_id: 1 }, { name: 'sessions_by_user' });

const refreshTokenSchema = new Schema<RefreshTokenDocument>(
  {
    _id: { type: String, required: true },
    session_id: { type: String, required: true },
    user_id: { type: String, required: true },
    expires_at: { type: Date, required: true },
    used_at: { type: Date, default: null },
  },
  { ...options, collection: 'refresh_tokens' },
);
refreshTokenSchema.index({ user_id: 1 }, { name: 'refresh_tokens_by_user' });

const accountTokenSchema = new Schema<AccountTokenDocument>(
  {
    _id: { type: String, required: true },
    user_id: { type: String, required: true },
    purpose: { type: String, required: true, enum: ['verify_email', 'reset_password'] },
    email: { type: String, required: true },
    token_hash: { type: String, required: true },
    code_hash: { type: String, default: null },
    wrong_codes: { type: Number, required: true, default: 0 },
    expires_at: { type: Date, required: true },
    used_at: { type: Date, default: null },
    created_at: { type: Date, required: true },
  },
  { ...options, collection: 'account_tokens' },
);
accountTokenSchema.index({ token_hash: 1 }, { unique: true, name: 'account_tokens_hash_unique' });
accountTokenSchema.index({ user_id: 1, purpose: 1, created_at: -1 }, { name: 'account_tokens_by_user' });

const toAccountToken = (doc: AccountTokenDocument): AccountTokenRecord => ({
  id: doc._id,
  user_id: doc.user_id,
  purpose: doc.purpose,
  email: doc.email,
  token_hash: doc.token_hash,
  code_hash: doc.code_hash ?? null,
  wrong_codes: doc.wrong_codes,
  expires_at: new Date(doc.expires_at),
  used_at: doc.used_at ? new Date(doc.used_at) : null,
  created_at: new Date(doc.created_at),
});

type AccountMethods = SessionMethods & AccountTokenMethods;

/** The session, refresh-token and account-token collections, and the store methods over them. */
export function accountModels(connection: Connection) {
  const Sessions = connection.model<SessionDocument>('Session', sessionSchema);
  const RefreshTokens = connection.model<RefreshTokenDocument>('RefreshToken', refreshTokenSchema);
  const AccountTokens = connection.model<AccountTokenDocument>('AccountToken', accountTokenSchema);

  const methods: AccountMethods = {
    async createSession(session) {
      await Sessions.create({ _id: session.id, user_id: session.user_id, created_at: session.created_at });
    },
    async isSessionActive(id) {
      return (await Sessions.exists({ _id: id, ended_at: null })) !== null;
    },
    async endSession(id, at) {
      await Sessions.updateOne({ _id: id, ended_at: null }, { $set: { ended_at: at } });
    },
    async endUserSessions(userId, at, keep) {
      const filter = keep
        ? { user_id: userId, ended_at: null, _id: { $ne: keep } }
        : { user_id: userId, ended_at: null };
      await Sessions.updateMany(filter, { $set: { ended_at: at } });
    },
    async addRefreshToken(token) {
      await RefreshTokens.create({
        _id: token.hash,
        session_id: token.session_id,
        user_id: token.user_id,
        expires_at: token.expires_at,
      });
    },
    async spendRefreshToken(hash, at) {
      const token = await RefreshTokens.findById(hash).lean<RefreshTokenDocument>();
      if (!token) return { outcome: 'unknown' };
      if (token.used_at) return { outcome: 'reused', session_id: token.session_id };
      if (new Date(token.expires_at) <= at || !(await methods.isSessionActive(token.session_id))) {
        return { outcome: 'unknown' };
      }
      // The conditional update decides between concurrent uses: only one matches `used_at: null`.
      const spent = await RefreshTokens.updateOne({ _id: hash, used_at: null }, { $set: { used_at: at } });
      return spent.modifiedCount === 1
        ? { outcome: 'fresh', session_id: token.session_id, user_id: token.user_id }
        : { outcome: 'reused', session_id: token.session_id };
    },
    async createAccountToken(token) {
      // Void the earlier open ones first: at worst both are void for a moment, never both usable.
      await AccountTokens.updateMany(
        { user_id: token.user_id, purpose: token.purpose, used_at: null },
        { $set: { used_at: token.created_at } },
      );
      const { id, ...rest } = token;
      await AccountTokens.create({ _id: id, ...rest });
    },
    async findAccountTokenByHash(tokenHash) {
      const doc = await AccountTokens.findOne({ token_hash: tokenHash }).lean<AccountTokenDocument>();
      return doc ? toAccountToken(doc) : undefined;
    },
    async findOpenAccountToken(userId, purpose) {
      const doc = await AccountTokens.findOne({ user_id: userId, purpose, used_at: null })
        .sort({ created_at: -1 })
        .lean<AccountTokenDocument>();
      return doc ? toAccountToken(doc) : undefined;
    },
    async recordWrongCode(id) {
      const doc = await AccountTokens.findOneAndUpdate(
        { _id: id },
        { $inc: { wrong_codes: 1 } },
        { returnDocument: 'after' },
      ).lean<AccountTokenDocument>();
      return doc?.wrong_codes ?? 0;
    },
    async useAccountToken(id, at) {
      const result = await AccountTokens.updateOne({ _id: id, used_at: null }, { $set: { used_at: at } });
      return result.modifiedCount === 1;
    },
  };

  return {
    methods,
    createIndexes: () =>
      Promise.all([Sessions.createIndexes(), RefreshTokens.createIndexes(), AccountTokens.createIndexes()]),
    /** Everything of a deleted user's but the user document itself. */
    async deleteUserData(userId: string) {
      await Promise.all([
        Sessions.deleteMany({ user_id: userId }),
        RefreshTokens.deleteMany({ user_id: userId }),
        AccountTokens.deleteMany({ user_id: userId }),
      ]);
    },
  };
}
