import { z } from 'zod';
import { authEnv, baseEnv, dataPath, envInt, envPort, envUrl, loadConfig } from '@shop/shared';

/** The local Gmail sandbox, used whenever no Gmail OAuth credentials are configured (not in production). */
const SANDBOX_GMAIL_URL = 'http://127.0.0.1:8025';
/** The sandbox mailbox's own address (its default GMAIL_SANDBOX_ACCOUNT), so development needs no setting. */
const DEFAULT_SENDER = 'Shop <no-reply@shop.local>';
const REAL_GMAIL_API_URL = 'https://gmail.googleapis.com';
const REAL_GMAIL_TOKEN_URL = 'https://oauth2.googleapis.com/token';

// A variable set to '' (as a copied .env.example leaves it) counts as not set.
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).optional());
const optionalUrl = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http(s) URL' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
);

const CREDENTIALS = ['GMAIL_CLIENT_ID', 'GMAIL_CLIENT_SECRET', 'GMAIL_REFRESH_TOKEN'] as const;

/**
 * The notification-service's environment: the one home of its defaults, each working on a dev
 * machine (the local neighbours and the Gmail sandbox). `gmail` is derived from the GMAIL_* variables.
 */
export const configSchema = z
  .object({
    ...baseEnv,
    ...authEnv,
    NOTIFICATION_SERVICE_PORT: envPort(3004),
    USER_SERVICE_URL: envUrl('http://127.0.0.1:3001'),
    ORDER_SERVICE_URL: envUrl('http://127.0.0.1:3002'),
    NOTIFICATION_DB_PATH: z.string().min(1).default(dataPath('notification-service.sqlite')),
    GMAIL_CLIENT_ID: optionalText,
    GMAIL_CLIENT_SECRET: optionalText,
    GMAIL_REFRESH_TOKEN: optionalText,
    /** Required with real Gmail credentials (no default can be an address of their account). */
    GMAIL_SENDER: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .trim()
        .refine((v) => /^[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/.test(v), {
          message: 'must be an address such as "Shop <no-reply@example.com>"',
        })
        .optional(),
    ),
    GMAIL_API_URL: optionalUrl,
    GMAIL_TOKEN_URL: optionalUrl,
    /** Timeout of each Gmail call the worker makes (token refresh included), and of each token request. */
    GMAIL_SEND_TIMEOUT_MS: envInt(10_000, 100, 120_000),
    /**
     * Mails per recipient mailbox (the address lower-cased, without a +tag) per hour; 0 = no cap.
     * Over it, order mails wait in the queue and welcome mails are skipped.
     */
    NOTIFY_RECIPIENT_HOURLY_CAP: envInt(10, 0, 10_000),
    /** Timeout of the one Gmail try made while the notify caller waits. */
    NOTIFY_INLINE_SEND_TIMEOUT_MS: envInt(2_000, 100, 60_000),
    /** While Gmail is unavailable: the first retry's delay, doubled per failed try, up to the max. */
    NOTIFY_RETRY_BASE_MS: envInt(1_000, 1, 3_600_000),
    NOTIFY_RETRY_MAX_MS: envInt(300_000, 1, 86_400_000),
    /** While blocked by quota or configuration: the same, on a slower schedule (1 min up to 3 h). */
    NOTIFY_BLOCKED_RETRY_BASE_MS: envInt(60_000, 1, 86_400_000),
    NOTIFY_BLOCKED_RETRY_MAX_MS: envInt(10_800_000, 1, 86_400_000),
    /** A mail not sent this long after it became due is given up (and reported to operators). */
    NOTIFICATION_GIVE_UP_AFTER_HOURS: z
      .string()
      .default('48')
      .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 && Number(v) <= 8760, {
        message: 'must be a number of hours above 0 and at most 8760 (e.g. 48 or 0.5)',
      })
      .transform(Number),
    /** Pause between the worker's passes over the due mails. */
    NOTIFY_WORKER_INTERVAL_MS: envInt(500, 10, 600_000),
    /** How often the worker asks again whether a held mail's address is verified (a safety net). */
    NOTIFY_HELD_RECHECK_MS: envInt(600_000, 10, 86_400_000),
  })
  .superRefine((env, ctx) => {
    const set = CREDENTIALS.filter((name) => env[name] !== undefined);
    if (set.length === 0 && env.NODE_ENV === 'production') {
      // Production never falls back to the sandbox: the one-line error names the variable to set.
      ctx.addIssue({
        code: 'custom',
        path: ['GMAIL_CLIENT_ID'],
        message:
          'must be set in production, with GMAIL_CLIENT_SECRET and GMAIL_REFRESH_TOKEN (without them mail would go to the local Gmail sandbox)',
      });
    }
    if (set.length === CREDENTIALS.length && env.GMAIL_SENDER === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['GMAIL_SENDER'],
        message: "must be set with real Gmail credentials: the account's address or a verified send-as alias",
      });
    } else if (env.NODE_ENV === 'production' && env.GMAIL_SENDER === undefined) {
      ctx.addIssue({ code: 'custom', path: ['GMAIL_SENDER'], message: 'must be set in production' });
    }
    if (set.length > 0 && set.length < CREDENTIALS.length) {
      for (const name of CREDENTIALS.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `must be set together with ${set.join(', ')}`,
        });
      }
    }
  })
  .transform((env) => ({ ...env, gmail: gmailSettings(env) }));

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment; a bad value throws one ConfigError line. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(configSchema, env);

export interface GmailSettings {
  /** Base URL of the Gmail API (no trailing slash). */
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sender: string;
  /** True when no credentials are configured and the sandbox stands in for Gmail. */
  sandbox: boolean;
}

/** All three credentials set: real Gmail (unless URLs say otherwise); none: the sandbox, with dummy ones. */
export function gmailSettings(env: {
  GMAIL_CLIENT_ID?: string;
  GMAIL_CLIENT_SECRET?: string;
  GMAIL_REFRESH_TOKEN?: string;
  GMAIL_SENDER?: string;
  GMAIL_API_URL?: string;
  GMAIL_TOKEN_URL?: string;
}): GmailSettings {
  const { GMAIL_CLIENT_ID: clientId, GMAIL_CLIENT_SECRET: clientSecret, GMAIL_REFRESH_TOKEN: token } = env;
  if (clientId && clientSecret && token) {
    return {
      apiUrl: env.GMAIL_API_URL ?? REAL_GMAIL_API_URL,
      tokenUrl: env.GMAIL_TOKEN_URL ?? REAL_GMAIL_TOKEN_URL,
      clientId,
      clientSecret,
      refreshToken: token,
      sender: env.GMAIL_SENDER ?? DEFAULT_SENDER,
      sandbox: false,
    };
  }
  const apiUrl = env.GMAIL_API_URL ?? SANDBOX_GMAIL_URL;
  return {
    apiUrl,
    tokenUrl: env.GMAIL_TOKEN_URL ?? `${apiUrl}/token`,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-secret',
    refreshToken: 'sandbox-refresh-token',
    sender: env.GMAIL_SENDER ?? DEFAULT_SENDER,
    sandbox: true,
  };
}
