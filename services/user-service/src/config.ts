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
    /** Access tokens: short, since other services verify them locally and cannot see a logout. */
    JWT_TTL_SECONDS: envInt(900, 60, 3600),
    /** Refresh tokens: each is spent by its one use; a session lasts while it is refreshed in time. */
    REFRESH_TOKEN_TTL_SECONDS: envInt(30 * 24 * 3600, 300, 365 * 24 * 3600),
    /** Where links in account mails point (a page that posts the token from the URL's fragment). */
    ACCOUNT_LINK_BASE_URL: envUrl('http://localhost:3001/account'),
    EMAIL_VERIFICATION_TTL_HOURS: envInt(24, 1, 24 * 14),
    PASSWORD_RESET_TTL_SECONDS: envInt(1800, 1, 24 * 3600),
    /** Wrong codes a verification takes before it is void (a 6-digit code cannot be guessed in 5). */
    EMAIL_VERIFICATION_MAX_WRONG_CODES: envInt(5, 1, 20),
    /** Reset and verification mails asked for, per address and per account, per window; 0 = off. */
    USER_ACCOUNT_MAIL_RATE_LIMIT: envInt(5, 0, 100_000),
    /** Verification codes tried per user per window; 0 = off. */
    USER_VERIFY_CODE_RATE_LIMIT: envInt(10, 0, 100_000),
    USER_ACCOUNT_MAIL_WINDOW_MS: envInt(900_000, 1000, 24 * 3600 * 1000),
    USER_LOGIN_RATE_LIMIT: envInt(20, 0, 100_000),
    USER_REGISTER_RATE_LIMIT: envInt(10, 0, 100_000),
    USER_RATE_LIMIT_WINDOW_MS: envInt(60_000, 1000, 24 * 3600 * 1000),
    /** Failed logins per account (the email given, known or not) per window, from any address; 0 = off. */
    USER_LOGIN_ACCOUNT_FAILURE_LIMIT: envInt(10, 0, 100_000),
    USER_LOGIN_ACCOUNT_WINDOW_MS: envInt(900_000, 1000, 24 * 3600 * 1000),
    NOTIFICATION_SERVICE_URL: envUrl('http://127.0.0.1:3004'),
    /** How long a fire-and-forget mail request (verification, welcome, notices) may take before it is given up. */
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
