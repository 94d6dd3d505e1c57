import { z } from 'zod';
import {
  CURRENCY_CODES,
  authEnv,
  baseEnv,
  dataPath,
  envInt,
  envPort,
  envUrl,
  loadConfig,
} from '@shop/shared';

/** The secret the Stripe sandbox signs webhooks with by default; refused in production. */
export const SANDBOX_WEBHOOK_SECRET = 'whsec_sandbox_local_dev_secret';

const isLiveKey = (key: string) => /^(sk|rk)_live_/.test(key);
const isStripeApi = (url: string) => new URL(url).hostname === 'api.stripe.com';

/**
 * Whether the configured key reaches real Stripe (test or live mode): a live key always does; a test
 * key unless STRIPE_API_URL points it elsewhere (the sandbox).
 */
export function talksToRealStripe(env: { STRIPE_SECRET_KEY?: string; STRIPE_API_URL?: string }): boolean {
  const key = env.STRIPE_SECRET_KEY;
  if (!key) return false;
  return isLiveKey(key) || !env.STRIPE_API_URL || isStripeApi(env.STRIPE_API_URL);
}

/** An empty value (`STRIPE_SECRET_KEY=` in a .env file) means "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The payment-service's environment: the one home of its defaults, each working on a dev machine. */
export const configSchema = z
  .object({
    ...baseEnv,
    ...authEnv,
    PAYMENT_SERVICE_PORT: envPort(3003),
    PAYMENT_DB_PATH: z.string().min(1).default(dataPath('payment-service.sqlite')),
    ORDER_SERVICE_URL: envUrl('http://127.0.0.1:3002'),
    NOTIFICATION_SERVICE_URL: envUrl('http://127.0.0.1:3004'),
    STRIPE_SECRET_KEY: optional(
      z
        .string()
        .regex(
          /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/,
          'must be a Stripe secret key (sk_test_... or sk_live_...)',
        ),
    ),
    STRIPE_API_URL: optional(
      z
        .string()
        .refine((v) => /^https?:\/\/[^\s/]+\/?$/.test(v), { message: 'must be an http(s) URL with no path' }),
    ),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\S+$/, 'must be a webhook signing secret (whsec_...)')
      .default(SANDBOX_WEBHOOK_SECRET),
    STRIPE_TIMEOUT_MS: envInt(10_000, 100, 120_000),
    STRIPE_MAX_NETWORK_RETRIES: envInt(2, 0, 10),
    PAYMENT_WORKER_INTERVAL_MS: envInt(500, 10, 3_600_000),
    /** First delay before retrying a follow-up step or a reconciliation; doubles per failure up to the max. */
    PAYMENT_RETRY_BASE_MS: envInt(1000, 1, 3_600_000),
    PAYMENT_RETRY_MAX_MS: envInt(300_000, 1, 86_400_000),
    /** The Stripe account's settlement currency (its bank account's): Stripe's minimum charge is in it. */
    STRIPE_SETTLEMENT_CURRENCY: z.enum(CURRENCY_CODES).default('USD'),
    /** How long an Idempotency-Key and its answer are kept (Stripe keeps them 24 hours). */
    PAYMENT_IDEMPOTENCY_RETENTION_HOURS: envInt(24, 1, 24 * 30),
    /** Pay-order calls per user, and per client address, per window (429 `rate_limited`); 0 = off. */
    PAYMENT_RATE_LIMIT: envInt(20, 0, 100_000),
    PAYMENT_ADDRESS_RATE_LIMIT: envInt(60, 0, 100_000),
    PAYMENT_RATE_LIMIT_WINDOW_MS: envInt(60_000, 1000, 24 * 3600 * 1000),
    /** Declined cards allowed per order, and per user, within the window (then 429); 0 = no cap. */
    PAYMENT_MAX_DECLINES_PER_ORDER: envInt(5, 0, 10_000),
    PAYMENT_MAX_DECLINES_PER_USER: envInt(10, 0, 10_000),
    PAYMENT_DECLINE_WINDOW_MS: envInt(3_600_000, 1000, 7 * 24 * 3600 * 1000),
  })
  .superRefine((env, issues) => {
    const refuse = (variable: string, message: string) =>
      issues.addIssue({ code: 'custom', path: [variable], message });
    const real = talksToRealStripe(env);
    // Whoever knows the published sandbox secret could sign events that move real money state.
    if (real && env.STRIPE_WEBHOOK_SECRET === SANDBOX_WEBHOOK_SECRET) {
      refuse(
        'STRIPE_WEBHOOK_SECRET',
        "must be your endpoint's signing secret when a real Stripe key is configured (the sandbox default is refused)",
      );
    }
    // A live key sent anywhere but Stripe would hand it to whoever listens there.
    if (
      env.STRIPE_SECRET_KEY &&
      isLiveKey(env.STRIPE_SECRET_KEY) &&
      env.STRIPE_API_URL &&
      !isStripeApi(env.STRIPE_API_URL)
    ) {
      refuse('STRIPE_API_URL', 'must be unset or https://api.stripe.com with a live key (got another host)');
    }
    if (env.NODE_ENV !== 'production') return;
    if (!env.STRIPE_SECRET_KEY) refuse('STRIPE_SECRET_KEY', 'must be set in production');
    else if (!real) {
      refuse(
        'STRIPE_API_URL',
        'must be unset or https://api.stripe.com in production (the sandbox is refused)',
      );
    }
    if (!real && env.STRIPE_WEBHOOK_SECRET === SANDBOX_WEBHOOK_SECRET) {
      refuse(
        'STRIPE_WEBHOOK_SECRET',
        'must be set to your endpoint secret in production (the sandbox default is refused)',
      );
    }
  });

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment; a bad value throws one ConfigError line. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);
