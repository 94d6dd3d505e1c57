import {
  createLogger,
  loadConfig,
  openDatabaseSetting,
  resolveAuthKeys,
  runMain,
  serviceTokenProvider,
  ServiceMetrics,
  startServer,
} from '@shop/shared';
import { createNotificationClient, createOrderClient } from '@shop/shared/clients';
import { createApp } from './app.ts';
import { createStripeClient, stripeTarget } from './clients/stripeClient.ts';
import { paymentEnvSchema } from './config.ts';
import { openPaymentStore } from './data/sqlitePaymentStore.ts';
import { createPayments } from './domain/payments.ts';
import { startPaymentWorker } from './domain/worker.ts';

await runMain(async () => {
  const config = loadConfig(paymentEnvSchema);
  const logger = createLogger('payment-service', config.LOG_LEVEL);
  const keys = resolveAuthKeys(config, { needsPrivateKey: false });
  const metrics = new ServiceMetrics('payment-service');
  const token = serviceTokenProvider(keys.serviceSecret, 'payment-service');
  const http = { timeoutMs: config.HTTP_TIMEOUT_MS, token, metrics };
  const target = stripeTarget(config);
  const store = openDatabaseSetting('PAYMENT_DB_PATH', config.PAYMENT_DB_PATH, openPaymentStore);

  const payments = createPayments({
    logger,
    store,
    metrics,
    stripe: createStripeClient({
      ...target,
      timeoutMs: config.STRIPE_TIMEOUT_MS,
      maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
      metrics,
    }),
    orders: createOrderClient({ ...http, baseURL: config.ORDER_SERVICE_URL }),
    notifications: createNotificationClient({ ...http, baseURL: config.NOTIFICATION_SERVICE_URL }),
    retryBaseMs: config.PAYMENT_RETRY_BASE_MS,
  });
  const app = createApp({ logger, keys, payments, webhookSecret: config.STRIPE_WEBHOOK_SECRET });
  const worker = startPaymentWorker(payments, { intervalMs: config.PAYMENT_WORKER_INTERVAL_MS });
  logger.info(
    { stripe: target.apiUrl ?? 'https://api.stripe.com', db: config.PAYMENT_DB_PATH },
    'configured',
  );

  await startServer(app, {
    port: config.PAYMENT_SERVICE_PORT,
    portVariable: 'PAYMENT_SERVICE_PORT',
    host: config.HOST,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    onClose: async () => {
      await worker.stop();
      store.close();
    },
  });
});
