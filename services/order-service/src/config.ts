import { z } from 'zod';
import { authEnv, baseEnv, dataPath, envInt, envPort, envUrl, loadConfig } from '@shop/shared';
import { CurrencyCode } from '@shop/shared/contracts';

/** The order-service's environment: the one home of its defaults, each working on a dev machine. */
export const configSchema = z.object({
  ...baseEnv,
  ...authEnv,
  ORDER_SERVICE_PORT: envPort(3002),
  ORDER_DB_PATH: z.string().trim().min(1, 'must not be empty').default(dataPath('order-service.sqlite')),
  /** Currency of an order whose body names none. */
  ORDER_DEFAULT_CURRENCY: CurrencyCode.default('USD'),
  /** How long an Idempotency-Key and its answer are kept (Stripe keeps them 24 hours). */
  ORDER_IDEMPOTENCY_RETENTION_HOURS: envInt(24, 1, 24 * 30),
  /** Orders created per user, and per client address, per window (429 `rate_limited`); 0 = off. */
  ORDER_CREATE_RATE_LIMIT: envInt(30, 0, 100_000),
  ORDER_CREATE_ADDRESS_RATE_LIMIT: envInt(100, 0, 100_000),
  ORDER_RATE_LIMIT_WINDOW_MS: envInt(60_000, 1000, 24 * 3600 * 1000),
  /** Where the order_created mail is asked for. */
  NOTIFICATION_SERVICE_URL: envUrl('http://127.0.0.1:3004'),
  /** How long one try of an order_created mail request may take (creation never waits for it). */
  ORDER_MAIL_TIMEOUT_MS: envInt(2000, 100, 120_000),
  /** Pause between the mail worker's looks for owed order_created requests that are due. */
  ORDER_MAIL_WORKER_INTERVAL_MS: envInt(1000, 10, 3_600_000),
  /** Delay after a failed try: the base, doubled per further failure, up to the max. */
  ORDER_MAIL_RETRY_BASE_MS: envInt(1000, 1, 3_600_000),
  ORDER_MAIL_RETRY_MAX_MS: envInt(300_000, 1, 86_400_000),
  /** A request still failing this long after its order was created is given up (with a warning). */
  ORDER_MAIL_GIVE_UP_AFTER_HOURS: envInt(48, 1, 8760),
});

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment; a bad value throws one ConfigError line. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
