import type { RequestHandler } from 'express';
import type Stripe from 'stripe';
import {
  openDatabaseSetting,
  type Logger,
  serviceBasics,
  type ServiceBasics,
  userAndAddressLimits,
} from '@shop/shared';
import { notificationApi, orderApi } from '@shop/shared/contracts';
import { createStripeClient, stripeTarget } from './clients/stripeClient.ts';
import type { Config } from './config.ts';
import type { PaymentStore } from './data/paymentStore.ts';
import { openPaymentStore } from './data/sqlitePaymentStore.ts';
import { createCardAttempts } from './domain/cardAttempts.ts';
import { createFollowUpRunner, type FollowUpRunner } from './domain/followUps.ts';
import { KeyedLock } from './domain/keyedLock.ts';
import { createPaymentEvents } from './domain/paymentEvents.ts';
import { createPayOrder } from './domain/payOrder.ts';
import { createRefundPayment, createRefunds } from './domain/refunds.ts';
import { createIntents } from './domain/stripeIntents.ts';
import { createWebhookHandler } from './domain/webhooks.ts';
import { createPaymentWorker } from './domain/worker.ts';

/** Everything the payment-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: PaymentStore;
  stripe: Stripe;
  payOrder: ReturnType<typeof createPayOrder>;
  refundPayment: ReturnType<typeof createRefundPayment>;
  handleStripeEvent: ReturnType<typeof createWebhookHandler>;
  followUps: FollowUpRunner;
  /** One at a time per order (and per idempotency key), shared by the HTTP side and the worker. */
  locks: KeyedLock;
  /** Pay-order calls per user and per client address (a limit of 0 lets everything through). */
  payOrderLimits: RequestHandler[];
  /** Not started: main.ts starts it once the server listens. */
  worker: ReturnType<typeof createPaymentWorker>;
  /** Stops the worker (and any follow-up in flight), then closes the store. */
  close(): Promise<void>;
}

/** How long Idempotency-Key answers are kept, from the configuration. */
export const idempotencyRetentionMs = (config: Config) =>
  config.PAYMENT_IDEMPOTENCY_RETENTION_HOURS * 60 * 60 * 1000;

/** Builds the dependencies; main.ts and the tests both start here (tests may hand in a logger). */
export function buildDependencies(config: Config, given: { logger?: Logger } = {}): Dependencies {
  const basics = serviceBasics('payment-service', config, given);
  const { logger, metrics } = basics;
  const store = openDatabaseSetting('PAYMENT_DB_PATH', config.PAYMENT_DB_PATH, openPaymentStore);
  const orders = basics.neighbour(orderApi, config.ORDER_SERVICE_URL);
  const notifications = basics.neighbour(notificationApi, config.NOTIFICATION_SERVICE_URL);
  const stripe = createStripeClient({
    ...stripeTarget(config),
    timeoutMs: config.STRIPE_TIMEOUT_MS,
    maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
    metrics,
  });

  const events = createPaymentEvents(logger, metrics);
  const locks = new KeyedLock();
  const retry = { baseMs: config.PAYMENT_RETRY_BASE_MS, maxMs: config.PAYMENT_RETRY_MAX_MS };
  const refunds = createRefunds(stripe, store, events);
  const intents = createIntents({
    store,
    stripe,
    events,
    locks,
    retry,
    settlementCurrency: config.STRIPE_SETTLEMENT_CURRENCY,
    syncRefund: refunds.syncRefund,
  });
  const attempts = createCardAttempts(store, events, {
    perOrder: config.PAYMENT_MAX_DECLINES_PER_ORDER,
    perUser: config.PAYMENT_MAX_DECLINES_PER_USER,
    windowMs: config.PAYMENT_DECLINE_WINDOW_MS,
  });
  const followUps = createFollowUpRunner({
    store,
    orders,
    notifications,
    settleRefund: refunds.settleRefund,
    events,
    retry,
  });
  const worker = createPaymentWorker({
    store,
    intents,
    followUps,
    logger,
    intervalMs: config.PAYMENT_WORKER_INTERVAL_MS,
    idempotencyRetentionMs: idempotencyRetentionMs(config),
    attempts,
  });
  return {
    ...basics,
    store,
    stripe,
    payOrder: createPayOrder({ store, stripe, orders, intents, followUps, events, locks, attempts }),
    refundPayment: createRefundPayment({ store, locks, events, followUps, refunds }),
    handleStripeEvent: createWebhookHandler({ store, stripe, intents, refunds, followUps, events, locks }),
    followUps,
    locks,
    payOrderLimits: userAndAddressLimits({
      name: 'pay-order',
      windowMs: config.PAYMENT_RATE_LIMIT_WINDOW_MS,
      perUser: config.PAYMENT_RATE_LIMIT,
      perAddress: config.PAYMENT_ADDRESS_RATE_LIMIT,
    }),
    worker,
    async close() {
      await worker.stop();
      store.close();
    },
  };
}
