import Stripe from 'stripe';
import type { ServiceMetrics } from '@shop/shared';

/**
 * The API version this code is written against: the `stripe` SDK's own default, pinned here so an SDK
 * upgrade cannot change what Stripe sends without this line (and a type check) changing too.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' satisfies Stripe.LatestApiVersion;

/** The key the Stripe sandbox accepts: used when no STRIPE_SECRET_KEY is configured. */
export const SANDBOX_SECRET_KEY = 'sk_test_sandbox';
export const SANDBOX_API_URL = 'http://127.0.0.1:12111';

export interface StripeClientOptions {
  secretKey: string;
  /** Where the API is, e.g. the sandbox; undefined = api.stripe.com. */
  apiUrl?: string;
  timeoutMs: number;
  /** The SDK retries with the same idempotency key, so a retry never charges twice. */
  maxNetworkRetries: number;
  /** Where each Stripe call's duration is recorded, beside the calls to the other services. */
  metrics?: ServiceMetrics;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  const address = options.apiUrl ? new URL(options.apiUrl) : undefined;
  const protocol = address?.protocol === 'http:' ? 'http' : 'https';
  const stripe = new Stripe(options.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries,
    telemetry: false,
    appInfo: { name: 'shop-payment-service' },
    ...(address
      ? {
          host: address.hostname,
          port: address.port || (protocol === 'http' ? 80 : 443),
          protocol,
        }
      : {}),
  });
  const { metrics } = options;
  if (metrics) {
    // One event per HTTP attempt (retries included), with the time it took.
    stripe.on('response', (event: { method: string; status: number; elapsed: number }) => {
      metrics.outboundDuration.observe(
        { target: 'stripe', method: event.method.toUpperCase(), status: String(event.status) },
        event.elapsed / 1000,
      );
    });
  }
  return stripe;
}

/** Which Stripe to talk to: the configured one, or the local sandbox when nothing is configured. */
export function stripeTarget(env: { STRIPE_SECRET_KEY?: string; STRIPE_API_URL?: string }): {
  secretKey: string;
  apiUrl?: string;
} {
  if (env.STRIPE_SECRET_KEY) return { secretKey: env.STRIPE_SECRET_KEY, apiUrl: env.STRIPE_API_URL };
  return { secretKey: SANDBOX_SECRET_KEY, apiUrl: env.STRIPE_API_URL ?? SANDBOX_API_URL };
}
