import { randomUUID } from 'node:crypto';
import { conflict, notFound, signUserToken, unauthorized } from '@shop/shared';
import { DuplicateUserError, type UserRecord, type UserStore } from '../data/userStore.ts';
import type { PasswordHasher } from './passwords.ts';

export interface AccountsDeps {
  store: UserStore;
  passwords: PasswordHasher;
  /** PEM that signs user tokens. */
  privateKey: string;
  tokenTtlSeconds: number;
}

export interface LoginResult {
  token: string;
  expiresIn: number;
  user: UserRecord;
}

const TAKEN_CODES = { email: 'email_taken', username: 'username_taken' } as const;

/** Registration, login and look-ups: the rules about accounts, with no HTTP in sight. */
export function createAccounts({ store, passwords, privateKey, tokenTtlSeconds }: AccountsDeps) {
  return {
    /** `email` arrives lowercased by the contract. Uniqueness is the store's unique indexes' call. */
    async register(input: { username: string; email: string; password: string }): Promise<UserRecord> {
      const user: UserRecord = {
        id: randomUUID(),
        username: input.username,
        email: input.email,
        password_hash: await passwords.hash(input.password),
        created_at: new Date(),
      };
      try {
        await store.insertUser(user);
      } catch (error) {
        if (!(error instanceof DuplicateUserError)) throw error;
        throw conflict(`This ${error.field} is already registered.`, TAKEN_CODES[error.field], {
          errors: [{ in: 'body', field: error.field, message: 'is already taken' }],
        });
      }
      return user;
    },

    /** Wrong password and unknown email fail alike: same status, same body, a bcrypt run each. */
    async login(email: string, password: string): Promise<LoginResult> {
      const user = await store.findByEmail(email);
      const matches = await passwords.verify(password, user?.password_hash);
      if (!user || !matches) throw unauthorized('The email or password is wrong.', 'invalid_credentials');
      return {
        token: signUserToken(privateKey, user.id, tokenTtlSeconds),
        expiresIn: tokenTtlSeconds,
        user,
      };
    },

    async getUser(id: string): Promise<UserRecord> {
      const user = await store.findById(id);
      if (!user) throw notFound('No user has this id.', 'user_not_found');
      return user;
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
