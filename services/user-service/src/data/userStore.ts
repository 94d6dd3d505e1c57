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
  /** When the owner proved `email` (a code or link); null until then. */
  email_verified_at: Date | null;
}

/** One login: its access tokens carry its id (`sid`), its refresh tokens form one family. */
export interface SessionRecord {
  id: string;
  user_id: string;
  created_at: Date;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token (hex): the token itself is never stored. */
  hash: string;
  session_id: string;
  user_id: string;
  expires_at: Date;
}

/** What presenting a refresh token found: spent now, spent before (a copy), or nothing usable. */
export type RefreshOutcome =
  | { outcome: 'fresh'; session_id: string; user_id: string }
  | { outcome: 'reused'; session_id: string }
  | { outcome: 'unknown' };

/**
 * A single-use proof sent by mail: an address verification (`email` is the address it proves: the
 * current one after registration, or a new one the user asked to switch to) or a password reset.
 */
export interface AccountTokenRecord {
  id: string;
  user_id: string;
  purpose: 'verify_email' | 'reset_password';
  email: string;
  /** SHA-256 (hex) of the link's token. */
  token_hash: string;
  /** SHA-256 (hex) of the user id and the 6-digit code; null for a reset (it has no code). */
  code_hash: string | null;
  wrong_codes: number;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export type UserChanges = Partial<
  Pick<UserRecord, 'username' | 'email' | 'email_verified_at' | 'password_hash'>
>;

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
  /** Case-insensitive, like the unique index. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  /** false when the user does not exist; DuplicateUserError when a new email or username is taken. */
  updateUser(id: string, changes: UserChanges): Promise<boolean>;
  /** Erases the user with their preferences, sessions, refresh tokens and account tokens. */
  deleteUser(id: string): Promise<void>;

  createSession(session: SessionRecord): Promise<void>;
  /** True while the session exists and was not ended. */
  isSessionActive(id: string): Promise<boolean>;
  endSession(id: string, at: Date): Promise<void>;
  /** Ends every session of the user, except `keep` when given. */
  endUserSessions(userId: string, at: Date, keep?: string): Promise<void>;
  addRefreshToken(token: RefreshTokenRecord): Promise<void>;
  /**
   * Spends the token atomically: `fresh` once (unexpired, its session active), `reused` for any
   * later try (the caller ends the session), `unknown` when it does not exist, expired, or its
   * session has ended.
   */
  spendRefreshToken(hash: string, at: Date): Promise<RefreshOutcome>;

  /** Stores a new proof and voids the user's earlier unused ones of the same purpose. */
  createAccountToken(token: AccountTokenRecord): Promise<void>;
  findAccountTokenByHash(tokenHash: string): Promise<AccountTokenRecord | undefined>;
  /** The user's newest unused proof of this purpose (expired or not). */
  findOpenAccountToken(
    userId: string,
    purpose: AccountTokenRecord['purpose'],
  ): Promise<AccountTokenRecord | undefined>;
  /** Counts a wrong code; answers the count after it. */
  recordWrongCode(id: string): Promise<number>;
  /** Marks it used; false when it was used already (a concurrent use won). */
  useAccountToken(id: string, at: Date): Promise<boolean>;
  /** undefined when the user does not exist. */
  getPreferences(userId: string): Promise<StoredPreferences | undefined>;
  /** Upserts each setting (others stay as they are); false when the user does not exist. */
  setPreferences(userId: string, settings: PreferenceSetting[], at: Date): Promise<boolean>;
  /** Throws unless the store answers: the /ready check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The session half of a store (each store keeps it beside its users). */
export type SessionMethods = Pick<
  UserStore,
  | 'createSession'
  | 'isSessionActive'
  | 'endSession'
  | 'endUserSessions'
  | 'addRefreshToken'
  | 'spendRefreshToken'
>;

/** The mailed-proof half of a store. */
export type AccountTokenMethods = Pick<
  UserStore,
  | 'createAccountToken'
  | 'findAccountTokenByHash'
  | 'findOpenAccountToken'
  | 'recordWrongCode'
  | 'useAccountToken'
>;
