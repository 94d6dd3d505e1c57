import { Schema, type Connection } from 'mongoose';
import { NOTIFICATION_KINDS } from '@shop/shared/contracts';
import { CHANNELS } from './userStore.ts';

/** A user document. `_id` is the domain's UUID (a string), so both stores give the same ids. */
export interface UserDocument {
  _id: string;
  username: string;
  email: string;
  password_hash: string;
  created_at: Date;
  email_verified_at?: Date | null;
  /** Only explicit choices are stored: `{ order_updates: { email: false } }`; missing means on. */
  preferences?: Partial<Record<string, Partial<Record<string, boolean>>>>;
  preferences_updated_at?: Date | null;
}

export const EMAIL_INDEX = 'email_unique';
export const USERNAME_INDEX = 'username_unique';

// Each kind/channel pair is a declared path, so strict mode drops anything else a bug might write.
const preferencePaths = Object.fromEntries(
  NOTIFICATION_KINDS.map((kind) => [
    kind,
    Object.fromEntries(CHANNELS.map((channel) => [channel, { type: Boolean }])),
  ]),
);

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    email: { type: String, required: true, lowercase: true },
    password_hash: { type: String, required: true },
    created_at: { type: Date, required: true },
    email_verified_at: { type: Date, default: null },
    preferences: preferencePaths,
    preferences_updated_at: { type: Date, default: null },
  },
  // Indexes are built explicitly at start-up (see openMongoUserStore), not lazily in the background.
  { collection: 'users', versionKey: false, autoIndex: false, strict: true },
);

// Emails are stored lowercase, so a plain unique index is case-insensitive already. Usernames keep
// their case, so their index compares with a strength-2 collation (case-insensitive).
userSchema.index({ email: 1 }, { unique: true, name: EMAIL_INDEX });
userSchema.index(
  { username: 1 },
  { unique: true, name: USERNAME_INDEX, collation: { locale: 'en', strength: 2 } },
);

export const userModel = (connection: Connection) => connection.model<UserDocument>('User', userSchema);
