import { runMain, startServer } from '@shop/shared';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { buildDependencies } from './dependencies.ts';

await runMain(async () => {
  const config = readConfig();
  const deps = buildDependencies(config);
  await startServer(createApp(deps), {
    port: config.ORDER_SERVICE_PORT,
    portVariable: 'ORDER_SERVICE_PORT',
    host: config.HOST,
    logger: deps.logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    onClose: deps.close,
  });
  deps.orderMails.worker.start();
});
