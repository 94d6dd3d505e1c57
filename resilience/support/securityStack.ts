import { randomBytes } from 'node:crypto';
import type { ServiceName } from '@shop/shared/contracts';
import { signServiceToken, signUserToken, type DevKeys } from '@shop/shared';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';

/** The test stack plus the keys it runs with, so tests can mint (and forge) tokens. */
export interface KeyedStack {
  shop: TestStack;
  keys: DevKeys;
  webhookSecret: string;
  /** A valid token of the shop service `caller` for calls to `audience`, signed with the caller's own key. */
  serviceToken(caller: ServiceName, audience: ServiceName): string;
  userToken(userId: string, ttlSeconds?: number): string;
}

/** Starts the six processes with their own keys and a webhook secret chosen here. */
export async function startKeyedStack(): Promise<KeyedStack> {
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  const shop = await startTestStack({ STRIPE_WEBHOOK_SECRET: webhookSecret });
  const { keys } = shop;
  return {
    shop,
    keys,
    webhookSecret,
    serviceToken: (caller, audience) => signServiceToken(keys.services[caller].privateKey, caller, audience),
    userToken: (userId, ttlSeconds = 600) => signUserToken(keys.privateKey, userId, ttlSeconds),
  };
}
