import {
  createLogger,
  loadConfig,
  openDatabaseSetting,
  resolveAuthKeys,
  runMain,
  startServer,
} from '@shop/shared';
import { createNotificationService, openNotificationStore } from './app.ts';
import { configSchema } from './config.ts';

await runMain(async () => {
  const config = loadConfig(configSchema);
  const logger = createLogger('notification-service', config.LOG_LEVEL);
  const keys = resolveAuthKeys(config, { needsPrivateKey: false });
  const store = openDatabaseSetting(
    'NOTIFICATION_DB_PATH',
    config.NOTIFICATION_DB_PATH,
    openNotificationStore,
  );
  const { gmail } = config;
  logger.info(
    { gmail_api: gmail.apiUrl, token_url: gmail.tokenUrl, sandbox: gmail.sandbox, sender: gmail.sender },
    gmail.sandbox ? 'no Gmail credentials set: mail goes to the Gmail sandbox' : 'mail goes to Gmail',
  );
  const { app, worker } = createNotificationService({
    store,
    keys,
    logger,
    userServiceUrl: config.USER_SERVICE_URL,
    orderServiceUrl: config.ORDER_SERVICE_URL,
    gmail,
    httpTimeoutMs: config.HTTP_TIMEOUT_MS,
    delivery: {
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
      retryMaxMs: config.NOTIFY_RETRY_MAX_MS,
      workerIntervalMs: config.NOTIFY_WORKER_INTERVAL_MS,
      inlineTimeoutMs: config.NOTIFY_INLINE_SEND_TIMEOUT_MS,
      sendTimeoutMs: config.GMAIL_SEND_TIMEOUT_MS,
    },
  });
  worker.start();
  await startServer(app, {
    port: config.NOTIFICATION_SERVICE_PORT,
    portVariable: 'NOTIFICATION_SERVICE_PORT',
    host: config.HOST,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    // After the last request: let the worker finish its try, then close the database.
    onClose: async () => {
      await worker.stop();
      store.close();
    },
  });
});
