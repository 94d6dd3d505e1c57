import { openDatabaseSetting, type Logger, serviceBasics, type ServiceBasics } from '@shop/shared';
import type { Config } from './config.ts';
import type { OrderStore } from './data/orderStore.ts';
import { openOrderStore } from './data/sqliteOrderStore.ts';

/** Everything the order-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: OrderStore;
  /** Closes the store (after the server stopped taking requests). */
  close(): Promise<void>;
}

/** Builds the dependencies; main.ts and the tests both start here (tests may hand in a logger or store). */
export function buildDependencies(
  config: Config,
  given: { logger?: Logger; store?: OrderStore } = {},
): Dependencies {
  const store = given.store ?? openDatabaseSetting('ORDER_DB_PATH', config.ORDER_DB_PATH, openOrderStore);
  return {
    ...serviceBasics('order-service', config, given),
    store,
    close: async () => store.close(),
  };
}
