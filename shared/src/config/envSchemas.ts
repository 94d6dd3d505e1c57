import { z } from 'zod';

/** Env values are strings; these helpers give clear messages instead of zod's generic ones. */
export const envPort = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) <= 65535, {
      message: 'must be a whole number from 0 to 65535',
    })
    .transform(Number);

export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

export const envUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http(s) URL' })
    .transform((v) => v.replace(/\/+$/, ''));

export const envBool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * Express's `trust proxy`, i.e. which proxies' `X-Forwarded-For` decides the client address that
 * rate limits and logs see: `false` (no proxy: the socket's address), a hop count (`1` = one proxy
 * in front), or a list of proxy addresses, subnets or Express's names (`loopback`, `uniquelocal`).
 */
export type TrustProxy = false | number | string[];

const PROXY_ENTRY = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/;

export const envTrustProxy = () =>
  z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const value = v.trim();
      if (value === '' || value === 'false' || value === '0') return false;
      if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
      const entries = value.split(',').map((e) => e.trim());
      if (value !== 'true' && entries.every((e) => PROXY_ENTRY.test(e))) return entries;
      ctx.addIssue({
        code: 'custom',
        message:
          'must be false, a hop count from 1 to 10, or a comma-separated list of proxy addresses or subnets (true would believe any X-Forwarded-For a client sends)',
      });
      return z.NEVER;
    });

/** Variables every service reads. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0, 120_000),
  HTTP_TIMEOUT_MS: envInt(5_000, 100, 120_000),
  /** Retries of a call to another service where repeating it is safe (after no answer or a 5xx). */
  HTTP_RETRIES: envInt(2, 0, 10),
  /** Bearer token that /metrics asks for; without it /metrics is open in development, off in production. */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Which reverse proxies to believe about the client address (rate limits per address). */
  TRUST_PROXY: envTrustProxy(),
};
