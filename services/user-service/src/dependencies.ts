import type { RequestHandler } from 'express';
import {
  ServiceMetrics,
  createLogger,
  createRateLimiter,
  resolveAuthKeys,
  serviceTokenProvider,
  type AuthKeys,
  type Logger,
} from '@shop/shared';
import { createApiClient } from '@shop/shared/clients';
import { notificationApi } from '@shop/shared/contracts';
import type { Config } from './config.ts';
import { openUserStore } from './data/openUserStore.ts';
import type { UserStore } from './data/userStore.ts';
import { createAccounts, type Accounts } from './domain/accounts.ts';
import { createPasswordHasher } from './domain/passwords.ts';
import { createPreferences, type PreferencesService } from './domain/preferences.ts';
import { createWelcomeMail, type WelcomeMail } from './domain/welcomeMail.ts';

/** Everything the user-service is made of, built from its configuration. */
export interface Dependencies {
  config: Config;
  logger: Logger;
  metrics: ServiceMetrics;
  /** With the private key: this service signs the user tokens. */
  keys: AuthKeys;
  store: UserStore;
  accounts: Accounts;
  preferences: PreferencesService;
  welcomeMail: WelcomeMail;
  /** Per client address; a limit of 0 lets everything through. */
  rateLimiters: { register: RequestHandler; login: RequestHandler };
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
  const logger = given.logger ?? createLogger('user-service', config.LOG_LEVEL);
  const metrics = new ServiceMetrics('user-service');
  const keys = resolveAuthKeys(config, { needsPrivateKey: true });
  const { privateKey } = keys;
  if (!privateKey) throw new Error('The user-service needs the JWT private key to sign user tokens.');
  const store = given.store ?? (await openUserStore(config));

  const notifications = createApiClient(notificationApi, {
    baseURL: config.NOTIFICATION_SERVICE_URL,
    timeoutMs: config.WELCOME_MAIL_TIMEOUT_MS,
    retries: 0, // fire and forget: nobody waits for a second try
    token: serviceTokenProvider(keys.serviceSecret, 'user-service'),
    metrics,
  });
  const windowMs = config.USER_RATE_LIMIT_WINDOW_MS;
  return {
    config,
    logger,
    metrics,
    keys,
    store,
    accounts: createAccounts({
      store,
      passwords: createPasswordHasher(config.BCRYPT_COST),
      privateKey,
      tokenTtlSeconds: config.JWT_TTL_SECONDS,
    }),
    preferences: createPreferences(store),
    welcomeMail: createWelcomeMail(notifications, logger),
    rateLimiters: {
      register: createRateLimiter({ windowMs, limit: config.USER_REGISTER_RATE_LIMIT, name: 'registration' }),
      login: createRateLimiter({ windowMs, limit: config.USER_LOGIN_RATE_LIMIT, name: 'login' }),
    },
    close: () => store.close(),
  };
}
