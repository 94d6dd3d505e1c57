import { describe, expect, it } from 'vitest';
import { ConfigError } from '@shop/shared';
import { readConfig, SANDBOX_WEBHOOK_SECRET } from '../src/config.ts';
import { SANDBOX_API_URL, SANDBOX_SECRET_KEY, stripeTarget } from '../src/clients/stripeClient.ts';

const load = (env: Record<string, string>) => readConfig(env);

describe('configuration', () => {
  it('when nothing is set, the defaults run on a dev machine against the Stripe sandbox', () => {
    const config = load({});
    expect(config).toMatchObject({
      PAYMENT_SERVICE_PORT: 3003,
      ORDER_SERVICE_URL: 'http://127.0.0.1:3002',
      NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:3004',
      STRIPE_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET,
      STRIPE_TIMEOUT_MS: 10_000,
      STRIPE_MAX_NETWORK_RETRIES: 2,
      PAYMENT_WORKER_INTERVAL_MS: 500,
      PAYMENT_RETRY_BASE_MS: 1000,
    });
    expect(config.PAYMENT_DB_PATH).toMatch(/\.data\/payment-service\.sqlite$/);
    expect(stripeTarget(config)).toEqual({ secretKey: SANDBOX_SECRET_KEY, apiUrl: SANDBOX_API_URL });
  });

  it('when a Stripe key is set (and no URL), real Stripe is used; an empty key counts as unset', () => {
    const real = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_endpoint' };
    expect(stripeTarget(load(real))).toEqual({
      secretKey: 'sk_test_abc123',
      apiUrl: undefined,
    });
    expect(stripeTarget(load({ STRIPE_SECRET_KEY: '' })).secretKey).toBe(SANDBOX_SECRET_KEY);
  });

  it('when the port is not a number, one line names it and what it got', () => {
    expect(() => load({ PAYMENT_SERVICE_PORT: 'abc' })).toThrow(ConfigError);
    expect(() => load({ PAYMENT_SERVICE_PORT: 'abc' })).toThrow(
      'Invalid configuration: PAYMENT_SERVICE_PORT must be a whole number from 0 to 65535 (got "abc")',
    );
  });

  it('when the Stripe values are malformed, each is named', () => {
    expect(() => load({ STRIPE_SECRET_KEY: 'pk_test_x', STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(
      /STRIPE_SECRET_KEY must be a Stripe secret key.*STRIPE_WEBHOOK_SECRET must be a webhook signing secret/,
    );
    expect(() => load({ STRIPE_API_URL: 'localhost:12111' })).toThrow(
      /STRIPE_API_URL must be an http\(s\) URL/,
    );
  });

  it('when running in production without a Stripe key or with the sandbox webhook secret, start-up is refused', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(
      /STRIPE_SECRET_KEY must be set in production.*STRIPE_WEBHOOK_SECRET must be set to your endpoint secret/,
    );
    expect(
      load({ NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_real' })
        .NODE_ENV,
    ).toBe('production');
  });

  it('when a real Stripe key is configured with the sandbox webhook secret, start-up is refused whatever NODE_ENV says', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(() => load({ NODE_ENV, STRIPE_SECRET_KEY: 'sk_test_abc123' })).toThrow(
        /^Invalid configuration: STRIPE_WEBHOOK_SECRET must be your endpoint's signing secret when a real Stripe key is configured/,
      );
      expect(() =>
        load({
          NODE_ENV,
          STRIPE_SECRET_KEY: 'sk_live_abc123',
          STRIPE_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET,
        }),
      ).toThrow(/STRIPE_WEBHOOK_SECRET must be your endpoint's signing secret/);
    }
  });

  it('when a live key is pointed at the sandbox or any host but Stripe, start-up is refused naming STRIPE_API_URL', () => {
    for (const url of [SANDBOX_API_URL, 'https://stripe.example.com']) {
      expect(() =>
        load({
          STRIPE_SECRET_KEY: 'sk_live_abc123',
          STRIPE_WEBHOOK_SECRET: 'whsec_endpoint',
          STRIPE_API_URL: url,
        }),
      ).toThrow(
        /^Invalid configuration: STRIPE_API_URL must be unset or https:\/\/api\.stripe\.com with a live key/,
      );
    }
    const real = load({
      STRIPE_SECRET_KEY: 'sk_live_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_endpoint',
      STRIPE_API_URL: 'https://api.stripe.com',
    });
    expect(real.STRIPE_API_URL).toBe('https://api.stripe.com');
  });

  it('when a test key is pointed at the sandbox, development keeps the sandbox secret but production refuses the sandbox', () => {
    const sandboxed = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_API_URL: SANDBOX_API_URL };
    expect(load(sandboxed).STRIPE_WEBHOOK_SECRET).toBe(SANDBOX_WEBHOOK_SECRET);
    expect(() =>
      load({ ...sandboxed, NODE_ENV: 'production', STRIPE_WEBHOOK_SECRET: 'whsec_endpoint' }),
    ).toThrow(
      /^Invalid configuration: STRIPE_API_URL must be unset or https:\/\/api\.stripe\.com in production \(the sandbox is refused\)/,
    );
  });
});
