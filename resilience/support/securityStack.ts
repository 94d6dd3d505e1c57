import { randomBytes } from 'node:crypto';
import type { ServiceName } from '@shop/shared/contracts';
import { generateDevKeys, signServiceToken, signUserToken, type DevKeys } from '@shop/shared';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';

/** The test stack plus the keys it runs with, so tests can mint (and forge) tokens. */
export interface KeyedStack {
  shop: TestStack;
  keys: DevKeys;
  webhookSecret: string;
  /** A valid token of a shop service (the payment-service unless named). */
  serviceToken(service?: ServiceName): string;
  userToken(userId: string, ttlSeconds?: number): string;
}

/** Starts the six processes with keys and a webhook secret chosen here (startTestStack's extraEnv wins). */
export async function startKeyedStack(): Promise<KeyedStack> {
  const keys = generateDevKeys();
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  const shop = await startTestStack({
    JWT_PRIVATE_KEY: keys.privateKey,
    JWT_PUBLIC_KEY: keys.publicKey,
    SERVICE_TOKEN_SECRET: keys.serviceSecret,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
  });
  return {
    shop,
    keys,
    webhookSecret,
    serviceToken: (service = 'payment-service') => signServiceToken(keys.serviceSecret, service),
    userToken: (userId, ttlSeconds = 600) => signUserToken(keys.privateKey, userId, ttlSeconds),
  };
}
