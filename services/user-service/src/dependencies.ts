import type { Request, RequestHandler } from 'express';
import {
  createRateLimiter,
  type IdempotencyKeys,
  type Logger,
  serviceBasics,
  type ServiceBasics,
} from '@shop/shared';
import { notificationApi } from '@shop/shared/contracts';
import type { Config } from './config.ts';
import { openIdempotencyKeys } from './data/idempotencyKeysDatabase.ts';
import { openUserStore } from './data/openUserStore.ts';
import type { UserStore } from './data/userStore.ts';
import { createAccountMail } from './domain/accountMail.ts';
import { createAccounts, type Accounts } from './domain/accounts.ts';
import { createMailedProofs } from './domain/mailedProofs.ts';
import { createPasswordHasher } from './domain/passwords.ts';
import { createPreferences, type PreferencesService } from './domain/preferences.ts';
import { createSessions, type Sessions } from './domain/sessions.ts';

/** The account a request names: its email or username as given, trimmed and lower-cased (undefined when missing). */
const accountNamed = (prefix: string) => (req: Request) => {
  const body = req.body as { email?: unknown; username?: unknown } | undefined;
  const name = typeof body?.email === 'string' ? body.email : body?.username;
  return typeof name === 'string' ? `${prefix}:${name.trim().toLowerCase()}` : undefined;
};

/** Everything the user-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: UserStore;
  /** Idempotency-Key answers of register and updatePreferences (see idempotencyKeysDatabase.ts). */
  idempotencyKeys: IdempotencyKeys;
  accounts: Accounts;
  sessions: Sessions;
  preferences: PreferencesService;
  /**
   * Registration per client address; login per client address and, for failed logins, per account;
   * password-reset mails per address and per account; verification mails and codes per user (in
   * this process's memory). A limit of 0 lets everything through.
   */
  rateLimiters: {
    register: RequestHandler;
    login: RequestHandler[];
    forgotPassword: RequestHandler[];
    resendVerification: RequestHandler;
    verifyCode: RequestHandler;
  };
  /** Closes the store (after the server stopped taking requests). */
  close(): Promise<void>;
}

/**
 * Builds the dependencies; main.ts and the tests both start here (tests may hand in a logger or
 * store). Async because opening MongoDB is: the store is opened last, once the keys are known.
 */
export async function buildDependencies(
  config: Config,
  given: { logger?: Logger; store?: UserStore } = {},
): Promise<Dependencies> {
  const basics = serviceBasics('user-service', config, given, { needsPrivateKey: true });
  const { logger, keys } = basics;
  const { privateKey } = keys;
  if (!privateKey) throw new Error('The user-service needs the JWT private key to sign user tokens.');
  const store = given.store ?? (await openUserStore(config));
  const idempotency = openIdempotencyKeys(config.USER_DB_PATH);

  const notifications = basics.neighbour(notificationApi, config.NOTIFICATION_SERVICE_URL, {
    timeoutMs: config.WELCOME_MAIL_TIMEOUT_MS,
    retries: 0, // fire and forget: nobody waits for a second try
  });
  const windowMs = config.USER_RATE_LIMIT_WINDOW_MS;
  const now = () => new Date();
  const sessions = createSessions({
    store,
    privateKey,
    accessTtlSeconds: config.JWT_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    now,
  });
  const proofs = createMailedProofs({
    store,
    linkBaseUrl: config.ACCOUNT_LINK_BASE_URL,
    verificationTtlMs: config.EMAIL_VERIFICATION_TTL_HOURS * 3600_000,
    resetTtlMs: config.PASSWORD_RESET_TTL_SECONDS * 1000,
    maxWrongCodes: config.EMAIL_VERIFICATION_MAX_WRONG_CODES,
    now,
  });
  const mailLimit = {
    windowMs: config.USER_ACCOUNT_MAIL_WINDOW_MS,
    limit: config.USER_ACCOUNT_MAIL_RATE_LIMIT,
  };
  return {
    ...basics,
    store,
    idempotencyKeys: idempotency.keys,
    sessions,
    accounts: createAccounts({
      store,
      passwords: createPasswordHasher(config.BCRYPT_COST),
      sessions,
      proofs,
      mail: createAccountMail(notifications, logger),
      now,
    }),
    preferences: createPreferences(store),
    rateLimiters: {
      register: createRateLimiter({ windowMs, limit: config.USER_REGISTER_RATE_LIMIT, name: 'registration' }),
      login: [
        createRateLimiter({ windowMs, limit: config.USER_LOGIN_RATE_LIMIT, name: 'login' }),
        // Password guessing spread over many addresses: counted per email given, whether or not an
        // account has it, so the 429 says nothing about which accounts exist.
        createRateLimiter({
          windowMs: config.USER_LOGIN_ACCOUNT_WINDOW_MS,
          limit: config.USER_LOGIN_ACCOUNT_FAILURE_LIMIT,
          name: 'login',
          per: accountNamed('login'),
          failuresOnly: true,
        }),
      ],
      // Reset mails: per address, and per address asked about (so one mailbox is not flooded).
      forgotPassword: [
        createRateLimiter({ ...mailLimit, name: 'password-reset' }),
        createRateLimiter({ ...mailLimit, name: 'password-reset', per: accountNamed('forgot') }),
      ],
      resendVerification: createRateLimiter({ ...mailLimit, name: 'verification-mail', per: 'user' }),
      verifyCode: createRateLimiter({
        windowMs: config.USER_ACCOUNT_MAIL_WINDOW_MS,
        limit: config.USER_VERIFY_CODE_RATE_LIMIT,
        name: 'verification-code',
        per: 'user',
      }),
    },
    close: async () => {
      await store.close();
      idempotency.close();
    },
  };
}
