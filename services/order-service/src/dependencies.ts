import {
  ServiceMetrics,
  createLogger,
  openDatabaseSetting,
  resolveAuthKeys,
  type Logger,
  type TokenKeys,
} from '@shop/shared';
import type { Config } from './config.ts';
import type { OrderStore } from './data/orderStore.ts';
import { openOrderStore } from './data/sqliteOrderStore.ts';

/** Everything the order-service is made of, built from its configuration. */
export interface Dependencies {
  config: Config;
  logger: Logger;
  metrics: ServiceMetrics;
  keys: TokenKeys;
  store: OrderStore;
  /** Closes the store (after the server stopped taking requests). */
  close(): Promise<void>;
}

/** Builds the dependencies; main.ts and the tests both start here (tests may hand in a logger or store). */
export function buildDependencies(
  config: Config,
  given: { logger?: Logger; store?: OrderStore } = {},
): Dependencies {
  const logger = given.logger ?? createLogger('order-service', config.LOG_LEVEL);
  const store = given.store ?? openDatabaseSetting('ORDER_DB_PATH', config.ORDER_DB_PATH, openOrderStore);
  return {
    config,
    logger,
    metrics: new ServiceMetrics('order-service'),
    keys: resolveAuthKeys(config, { needsPrivateKey: false }),
    store,
    close: async () => store.close(),
  };
}
