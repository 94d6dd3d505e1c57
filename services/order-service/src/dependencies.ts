import type { RequestHandler } from 'express';
import {
  openDatabaseSetting,
  type Logger,
  serviceBasics,
  type ServiceBasics,
  userAndAddressLimits,
} from '@shop/shared';
import { createMailRequests, type MailRequests } from '@shop/shared/clients';
import { notificationApi } from '@shop/shared/contracts';
import type { Config } from './config.ts';
import type { OrderStore } from './data/orderStore.ts';
import { openOrderStore } from './data/sqliteOrderStore.ts';

/** Everything the order-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: OrderStore;
  /** Order creations per user and per client address (a limit of 0 lets everything through). */
  createOrderLimits: RequestHandler[];
  /** Asks the notification-service for the order_created mail, best effort. */
  mailRequests: MailRequests;
  /** Closes the store (after the server stopped taking requests). */
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
    retries: 0, // fire and forget: nobody waits for a second try
  });
  return {
    ...basics,
    store,
    mailRequests: createMailRequests(notifications, basics.logger),
    createOrderLimits: userAndAddressLimits({
      name: 'order creation',
      windowMs: config.ORDER_RATE_LIMIT_WINDOW_MS,
      perUser: config.ORDER_CREATE_RATE_LIMIT,
      perAddress: config.ORDER_CREATE_ADDRESS_RATE_LIMIT,
    }),
    close: async () => store.close(),
  };
}
