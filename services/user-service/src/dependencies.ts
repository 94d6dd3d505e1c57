import type { Request, RequestHandler } from 'express';
import {
  createRateLimiter,
  type IdempotencyKeys,
  type Logger,
  serviceBasics,
  type ServiceBasics,
} from '@shop/shared';
import { createMailRequests, type MailRequests } from '@shop/shared/clients';
import { notificationApi } from '@shop/shared/contracts';
import type { Config } from './config.ts';
import { openIdempotencyKeys } from './data/idempotencyKeysDatabase.ts';
import { openUserStore } from './data/openUserStore.ts';
import type { UserStore } from './data/userStore.ts';
import { createAccounts, type Accounts } from './domain/accounts.ts';
import { createPasswordHasher } from './domain/passwords.ts';
import { createPreferences, type PreferencesService } from './domain/preferences.ts';

/** The account a login names: its email as given, trimmed and lower-cased (undefined when missing). */
const loginAccount = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? `login:${email.trim().toLowerCase()}` : undefined;
};

/** Everything the user-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: UserStore;
  /** Idempotency-Key answers of register and updatePreferences (see idempotencyKeysDatabase.ts). */
  idempotencyKeys: IdempotencyKeys;
  accounts: Accounts;
  preferences: PreferencesService;
  /** Asks the notification-service for mails (the welcome mail), best effort. */
  mailRequests: MailRequests;
  /**
   * Registration per client address; login per client address and, for failed logins, per account
   * (in this process's memory). A limit of 0 lets everything through.
   */
  rateLimiters: { register: RequestHandler; login: RequestHandler[] };
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
  return {
    ...basics,
    store,
    idempotencyKeys: idempotency.keys,
    accounts: createAccounts({
      store,
      passwords: createPasswordHasher(config.BCRYPT_COST),
      privateKey,
      tokenTtlSeconds: config.JWT_TTL_SECONDS,
    }),
    preferences: createPreferences(store),
    mailRequests: createMailRequests(notifications, logger),
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
          per: loginAccount,
          failuresOnly: true,
        }),
      ],
    },
    close: async () => {
      await store.close();
      idempotency.close();
    },
  };
}
