import type { RequestHandler } from 'express';
import {
  openDatabaseSetting,
  type Logger,
  serviceBasics,
  type ServiceBasics,
  userAndAddressLimits,
} from '@shop/shared';
import { createMailRequests } from '@shop/shared/clients';
import { notificationApi } from '@shop/shared/contracts';
import type { Config } from './config.ts';
import type { OrderStore } from './data/orderStore.ts';
import { openOrderStore } from './data/sqliteOrderStore.ts';
import { createOrderMails, type OrderMails } from './domain/orderMails.ts';

/** Everything the order-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: OrderStore;
  /** Order creations per user and per client address (a limit of 0 lets everything through). */
  createOrderLimits: RequestHandler[];
  /** The order_created mail requests orders owe; its worker is built stopped (main.ts starts it). */
  orderMails: OrderMails;
  /** Stops the mail worker and waits for tries in flight, then closes the store (after the server stopped taking requests). */
  close(): Promise<void>;
}

/** Builds the dependencies; main.ts and the tests both start here (tests may hand in a logger or store). */
export function buildDependencies(
  config: Config,
  given: { logger?: Logger; store?: OrderStore } = {},
): Dependencies {
  const store = given.store ?? openDatabaseSetting('ORDER_DB_PATH', config.ORDER_DB_PATH, openOrderStore);
  const basics = serviceBasics('order-service', config, given);
  const notifications = basics.neighbour(notificationApi, config.NOTIFICATION_SERVICE_URL, {
    timeoutMs: config.ORDER_MAIL_TIMEOUT_MS,
    retries: 0, // one try per attempt: the owed row, not the client, decides when to try again
  });
  const mailOutcomes = basics.metrics.counter(
    'order_mail_requests_total',
    'Tries of order_created mail requests by outcome: sent (the notification-service has it), retried (failed, tried again later), given_up (refused for good, or owed longer than ORDER_MAIL_GIVE_UP_AFTER_HOURS).',
    ['outcome'],
  );
  const orderMails = createOrderMails({
    mails: store.owedMails,
    orderOf: (orderId) => store.findById(orderId),
    send: createMailRequests(notifications, basics.logger).send,
    logger: basics.logger,
    sendTimeoutMs: config.ORDER_MAIL_TIMEOUT_MS,
    retry: { baseMs: config.ORDER_MAIL_RETRY_BASE_MS, maxMs: config.ORDER_MAIL_RETRY_MAX_MS },
    giveUpAfterMs: config.ORDER_MAIL_GIVE_UP_AFTER_HOURS * 3_600_000,
    intervalMs: config.ORDER_MAIL_WORKER_INTERVAL_MS,
    record: (outcome) => mailOutcomes.inc({ outcome }),
  });
  return {
    ...basics,
    store,
    orderMails,
    createOrderLimits: userAndAddressLimits({
      name: 'order creation',
      windowMs: config.ORDER_RATE_LIMIT_WINDOW_MS,
      perUser: config.ORDER_CREATE_RATE_LIMIT,
      perAddress: config.ORDER_CREATE_ADDRESS_RATE_LIMIT,
    }),
    close: async () => {
      await orderMails.worker.stop();
      store.close();
    },
  };
}
