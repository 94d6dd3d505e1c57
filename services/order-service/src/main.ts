import { createLogger, openDatabaseSetting, resolveAuthKeys, runMain, startServer } from '@shop/shared';
import { createApp, openOrderStore } from './app.ts';
import { loadOrderConfig } from './config.ts';

await runMain(async () => {
  const config = loadOrderConfig();
  const logger = createLogger('order-service', config.LOG_LEVEL);
  const keys = resolveAuthKeys(config, { needsPrivateKey: false });
  const store = openDatabaseSetting('ORDER_DB_PATH', config.ORDER_DB_PATH, openOrderStore);
  const app = createApp({ logger, keys, store, defaultCurrency: config.ORDER_DEFAULT_CURRENCY });
  await startServer(app, {
    port: config.ORDER_SERVICE_PORT,
    portVariable: 'ORDER_SERVICE_PORT',
    host: config.HOST,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    onClose: () => store.close(),
  });
});
