import { createConnection } from 'mongoose';
import { EMAIL_INDEX, USERNAME_INDEX, userModel, type UserDocument } from './mongoUserModel.ts';
import { accountModels } from './mongoAccountModels.ts';
import { unavailableWhenDisconnected } from './mongoConnectionLoss.ts';
import {
  CHANNELS,
  DuplicateUserError,
  type PreferenceSetting,
  type UserRecord,
  type UserStore,
} from './userStore.ts';
import { NOTIFICATION_KINDS } from '@shop/shared/contracts';

const toRecord = (doc: UserDocument): UserRecord => ({
  id: doc._id,
  username: doc.username,
  email: doc.email,
  password_hash: doc.password_hash,
  created_at: new Date(doc.created_at),
  email_verified_at: doc.email_verified_at ? new Date(doc.email_verified_at) : null,
});

/** Which unique index refused the insert (E11000), from the server's keyPattern or the index name. */
export function duplicateField(error: unknown): 'email' | 'username' | undefined {
  const e = (error ?? {}) as { code?: unknown; keyPattern?: object; keyValue?: object; message?: unknown };
  if (e.code !== 11000) return undefined;
  const keys = Object.keys(e.keyPattern ?? e.keyValue ?? {});
  const message = typeof e.message === 'string' ? e.message : '';
  if (keys.includes('email') || message.includes(EMAIL_INDEX)) return 'email';
  if (keys.includes('username') || message.includes(USERNAME_INDEX)) return 'username';
  return undefined;
}

function settingsOf(doc: Pick<UserDocument, 'preferences'>): PreferenceSetting[] {
  const settings: PreferenceSetting[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    for (const channel of CHANNELS) {
      const enabled = doc.preferences?.[kind]?.[channel];
      if (typeof enabled === 'boolean') settings.push({ kind, channel, enabled });
    }
  }
  return settings;
}

export interface MongoStoreOptions {
  /** Overrides the database named in the URI (the contract tests use a throwaway one). */
  dbName?: string;
  serverSelectionTimeoutMs?: number;
}

/**
 * The MongoDB store (used when MONGODB_URI is set). It owns its own mongoose connection rather
 * than the global one, and builds the unique indexes before answering, so uniqueness holds from
 * the first insert.
 */
export async function openMongoUserStore(uri: string, options: MongoStoreOptions = {}): Promise<UserStore> {
  const connection = createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
    // Fail fast while disconnected instead of queueing queries that a request is waiting on.
    bufferCommands: false,
    autoIndex: false,
    ...(options.dbName ? { dbName: options.dbName } : {}),
  });
  const Users = userModel(connection);
  const accounts = accountModels(connection);
  try {
    await connection.asPromise();
    await Users.createIndexes();
    await accounts.createIndexes();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }

  return unavailableWhenDisconnected({
    kind: 'mongodb',
    async insertUser(user) {
      try {
        await Users.create({
          _id: user.id,
          username: user.username,
          email: user.email.toLowerCase(),
          password_hash: user.password_hash,
          created_at: user.created_at,
          email_verified_at: user.email_verified_at,
        });
      } catch (error) {
        const field = duplicateField(error);
        if (field) throw new DuplicateUserError(field);
        throw error;
      }
    },
    async findById(id) {
      const doc = await Users.findById(id).lean<UserDocument>();
      return doc ? toRecord(doc) : undefined;
    },
    async findByEmail(email) {
      const doc = await Users.findOne({ email: email.toLowerCase() }).lean<UserDocument>();
      return doc ? toRecord(doc) : undefined;
    },
    async findByUsername(username) {
      // The username index's collation, so the look-up is case-insensitive like the uniqueness.
      const doc = await Users.findOne({ username })
        .collation({ locale: 'en', strength: 2 })
        .lean<UserDocument>();
      return doc ? toRecord(doc) : undefined;
    },
    async updateUser(id, changes) {
      const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      if (changes.email !== undefined) set.email = changes.email.toLowerCase();
      if (Object.keys(set).length === 0) return (await Users.exists({ _id: id })) !== null;
      try {
        const result = await Users.updateOne({ _id: id }, { $set: set });
        return result.matchedCount === 1;
      } catch (error) {
        const field = duplicateField(error);
        if (field) throw new DuplicateUserError(field);
        throw error;
      }
    },
    async deleteUser(id) {
      await accounts.deleteUserData(id);
      await Users.deleteOne({ _id: id });
    },
    ...accounts.methods,
    async getPreferences(userId) {
      const doc = await Users.findById(userId, { preferences: 1, preferences_updated_at: 1 }).lean<
        Pick<UserDocument, 'preferences' | 'preferences_updated_at'>
      >();
      if (!doc) return undefined;
      const at = doc.preferences_updated_at;
      return { settings: settingsOf(doc), updated_at: at ? new Date(at) : null };
    },
    async setPreferences(userId, settings, at) {
      if (settings.length === 0) return (await Users.exists({ _id: userId })) !== null;
      // One $set of dotted paths: atomic, and it leaves every other kind and channel untouched.
      const changes: Record<string, unknown> = { preferences_updated_at: at };
      for (const s of settings) changes[`preferences.${s.kind}.${s.channel}`] = s.enabled;
      const result = await Users.updateOne({ _id: userId }, { $set: changes });
      return result.matchedCount === 1;
    },
    async ping() {
      if (connection.readyState !== 1 || !connection.db) throw new Error('MongoDB is not connected');
      await connection.db.command({ ping: 1 });
    },
    async close() {
      await connection.close();
    },
  });
}
