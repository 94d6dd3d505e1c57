import { Router, type Express } from 'express';
import { createServiceApp, docsRouter, type AuthKeys, type Logger } from '@shop/shared';
import type { Payments } from './domain/payments.ts';
import { payOrderRouter } from './http/payOrderRouter.ts';
import { openApiDocument } from './http/openapi.ts';
import { paymentsRouter } from './http/paymentsRouter.ts';
import { WEBHOOK_PATH, webhookRouter } from './http/webhookRouter.ts';

export { openPaymentStore } from './data/sqlitePaymentStore.ts';
export type { PaymentStore } from './data/paymentStore.ts';
export { createPayments, type Payments, type PaymentsDeps } from './domain/payments.ts';
export { startPaymentWorker, type PaymentWorker } from './domain/worker.ts';
export { createStripeClient, stripeTarget, STRIPE_API_VERSION } from './clients/stripeClient.ts';
export { SANDBOX_WEBHOOK_SECRET } from './config.ts';

export interface AppDeps {
  logger: Logger;
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>;
  /** From createPayments; the worker (startPaymentWorker) must get the same one. */
  payments: Payments;
  /** The secret webhooks are signed with (STRIPE_WEBHOOK_SECRET). */
  webhookSecret: string;
}

/** The payment-service's Express app, without listening (tests and main.ts listen). */
export function createApp(deps: AppDeps): Express {
  const routes = Router();
  routes.use(payOrderRouter(deps.keys, deps.payments));
  routes.use(paymentsRouter(deps.keys, deps.payments));
  routes.use(webhookRouter(deps.payments, deps.webhookSecret));
  return createServiceApp({
    name: 'payment-service',
    logger: deps.logger,
    routes,
    metrics: deps.payments.metrics,
    rawBodyPaths: [WEBHOOK_PATH],
    publicRoutes: docsRouter(openApiDocument),
    readiness: () => deps.payments.store.ping(),
  });
}
