import { Router, type Express } from 'express';
import {
  createLogger,
  createRateLimiter,
  createServiceApp,
  docsRouter,
  serviceTokenProvider,
  ServiceMetrics,
  type AuthKeys,
  type Logger,
} from '@shop/shared';
import { createNotificationClient } from '@shop/shared/clients';
import { defaultConfig, type UserServiceConfig } from './config.ts';
import { createAccounts } from './domain/accounts.ts';
import { createPasswordHasher } from './domain/passwords.ts';
import { createPreferences } from './domain/preferences.ts';
import { createWelcomeMail } from './domain/welcomeMail.ts';
import type { UserStore } from './data/userStore.ts';
import { accountRoutes } from './http/accountRoutes.ts';
import { userRoutes } from './http/userRoutes.ts';
import { openApiDocument } from './http/openapi.ts';

export { createSqliteUserStore } from './data/sqliteUserStore.ts';
export { openUserStore } from './data/openUserStore.ts';
export type { UserStore } from './data/userStore.ts';

/** How long registration's fire-and-forget welcome call may take before it is given up. */
const WELCOME_TIMEOUT_MS = 2000;

export interface AppDeps {
  store: UserStore;
  /** Must include `privateKey`: this service signs the user tokens. */
  keys: AuthKeys;
  logger?: Logger;
  /** Any subset of the parsed environment; the rest takes the defaults. */
  config?: Partial<UserServiceConfig>;
  metrics?: ServiceMetrics;
}

/**
 * The user-service's Express app, not listening. Neighbouring services' tests start it with
 * `listen(createApp({ store: createSqliteUserStore(), keys: testKeys, config: { BCRYPT_COST: 4 } }))`.
 */
export function createApp(deps: AppDeps): Express {
  const config = { ...defaultConfig(), ...deps.config };
  const { store, keys } = deps;
  const logger = deps.logger ?? createLogger('user-service', config.LOG_LEVEL);
  const metrics = deps.metrics ?? new ServiceMetrics('user-service');
  if (!keys.privateKey) throw new Error('The user-service needs the JWT private key to sign user tokens.');

  const notifications = createNotificationClient({
    baseURL: config.NOTIFICATION_SERVICE_URL,
    timeoutMs: WELCOME_TIMEOUT_MS,
    retries: 0,
    token: serviceTokenProvider(keys.serviceSecret, 'user-service'),
    metrics,
  });
  const accounts = createAccounts({
    store,
    passwords: createPasswordHasher(config.BCRYPT_COST),
    privateKey: keys.privateKey,
    tokenTtlSeconds: config.JWT_TTL_SECONDS,
  });
  const windowMs = config.USER_RATE_LIMIT_WINDOW_MS;

  const routes = Router();
  routes.use(
    accountRoutes({
      accounts,
      welcomeMail: createWelcomeMail(notifications, logger),
      registerLimiter: createRateLimiter({
        windowMs,
        limit: config.USER_REGISTER_RATE_LIMIT,
        name: 'registration',
      }),
      loginLimiter: createRateLimiter({ windowMs, limit: config.USER_LOGIN_RATE_LIMIT, name: 'login' }),
    }),
  );
  routes.use(userRoutes({ keys, accounts, preferences: createPreferences(store) }));

  return createServiceApp({
    name: 'user-service',
    logger,
    metrics,
    routes,
    publicRoutes: docsRouter(openApiDocument),
    readiness: () => store.ping(),
  });
}
