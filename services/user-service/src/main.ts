import { createLogger, loadConfig, resolveAuthKeys, runMain, startServer } from '@shop/shared';
import { createApp } from './app.ts';
import { userServiceEnv } from './config.ts';
import { openUserStore } from './data/openUserStore.ts';

await runMain(async () => {
  const config = loadConfig(userServiceEnv);
  const logger = createLogger('user-service', config.LOG_LEVEL);
  const keys = resolveAuthKeys(config, { needsPrivateKey: true });
  const store = await openUserStore(config);
  logger.info({ store: store.kind }, 'store opened');
  const app = createApp({ store, keys, logger, config });
  await startServer(app, {
    port: config.USER_SERVICE_PORT,
    portVariable: 'USER_SERVICE_PORT',
    host: config.HOST,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    onClose: () => store.close(),
  });
});
