import { z } from 'zod';
import { authEnv, baseEnv, dataPath, envInt, envPort, envUrl, loadConfig } from '@shop/shared';

/** The user-service's environment: the one home of its defaults, each working on a dev machine. */
export const configSchema = z
  .object({
    ...baseEnv,
    ...authEnv,
    USER_SERVICE_PORT: envPort(3001),
    USER_DB_PATH: z.string().min(1, 'must not be empty').default(dataPath('user-service.sqlite')),
    // Empty counts as unset, so `MONGODB_URI=` in a .env file keeps the SQLite store.
    MONGODB_URI: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
    BCRYPT_COST: envInt(10, 4, 15),
    JWT_TTL_SECONDS: envInt(3600, 60, 7 * 24 * 3600),
    USER_LOGIN_RATE_LIMIT: envInt(20, 0, 100_000),
    USER_REGISTER_RATE_LIMIT: envInt(10, 0, 100_000),
    USER_RATE_LIMIT_WINDOW_MS: envInt(60_000, 1000, 24 * 3600 * 1000),
    /** Failed logins per account (the email given, known or not) per window, from any address; 0 = off. */
    USER_LOGIN_ACCOUNT_FAILURE_LIMIT: envInt(10, 0, 100_000),
    USER_LOGIN_ACCOUNT_WINDOW_MS: envInt(900_000, 1000, 24 * 3600 * 1000),
    NOTIFICATION_SERVICE_URL: envUrl('http://127.0.0.1:3004'),
    /** How long registration's fire-and-forget welcome-mail call may take before it is given up. */
    WELCOME_MAIL_TIMEOUT_MS: envInt(2000, 100, 120_000),
    /** How long an Idempotency-Key and its answer are kept (Stripe keeps them 24 hours). */
    USER_IDEMPOTENCY_RETENTION_HOURS: envInt(24, 1, 24 * 30),
  })
  // Cheap hashes are for tests and benchmarks; production keeps at least the library's default.
  .refine((env) => env.NODE_ENV !== 'production' || env.BCRYPT_COST >= 10, {
    message: 'must be at least 10 in production',
    path: ['BCRYPT_COST'],
  });

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment; a bad value throws one ConfigError line. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
