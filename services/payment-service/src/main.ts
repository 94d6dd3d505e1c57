import { runMain, startServer } from '@shop/shared';
import { createApp } from './app.ts';
import { stripeTarget } from './clients/stripeClient.ts';
import { readConfig } from './config.ts';
import { buildDependencies } from './dependencies.ts';

await runMain(async () => {
  const config = readConfig();
  const deps = buildDependencies(config);
  const stripe = stripeTarget(config).apiUrl ?? 'https://api.stripe.com';
  deps.logger.info({ stripe, db: config.PAYMENT_DB_PATH }, 'configured');
  await startServer(createApp(deps), {
    port: config.PAYMENT_SERVICE_PORT,
    portVariable: 'PAYMENT_SERVICE_PORT',
    host: config.HOST,
    logger: deps.logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    onClose: deps.close,
  });
  deps.worker.start();
});
