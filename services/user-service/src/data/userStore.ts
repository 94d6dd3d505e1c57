import type { NotificationKind } from '@shop/shared/contracts';

/** Channels a notification can go out on; `sms` will join `email` here when it exists. */
export const CHANNELS = ['email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A user as stored. `email` is lowercase; `username` keeps the case it was registered with. */
export interface UserRecord {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  created_at: Date;
}

/** One explicit choice; a (kind, channel) pair with no setting is on. */
export interface PreferenceSetting {
  kind: NotificationKind;
  channel: Channel;
  enabled: boolean;
}

export interface StoredPreferences {
  settings: PreferenceSetting[];
  /** When the user last changed a setting; null while everything is still the default. */
  updated_at: Date | null;
}

/** Thrown by `insertUser` when a unique index refuses the row: the store, not a prior read, decides. */
export class DuplicateUserError extends Error {
  override name = 'DuplicateUserError';
  constructor(readonly field: 'email' | 'username') {
    super(`A user with this ${field} already exists.`);
  }
}

/**
 * Where users live. Two implementations (SQLite, MongoDB) pass the same contract tests
 * (test/storeContract.ts). Email and username are unique case-insensitively in both.
 */
export interface UserStore {
  readonly kind: 'sqlite' | 'mongodb';
  /** Throws DuplicateUserError when the email or username is taken. */
  insertUser(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** `email` must already be lowercase. */
  findByEmail(email: string): Promise<UserRecord | undefined>;
  /** undefined when the user does not exist. */
  getPreferences(userId: string): Promise<StoredPreferences | undefined>;
  /** Upserts each setting (others stay as they are); false when the user does not exist. */
  setPreferences(userId: string, settings: PreferenceSetting[], at: Date): Promise<boolean>;
  /** Throws unless the store answers: the /ready check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
