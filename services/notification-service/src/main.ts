import { runMain, startServer } from '@shop/shared';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { buildDependencies } from './dependencies.ts';
import { checkSender } from './domain/senderCheck.ts';

await runMain(async () => {
  const config = readConfig();
  const deps = buildDependencies(config);
  const { gmail } = config;
  deps.logger.info(
    { gmail_api: gmail.apiUrl, token_url: gmail.tokenUrl, sandbox: gmail.sandbox, sender: gmail.sender },
    gmail.sandbox ? 'no Gmail credentials set: mail goes to the Gmail sandbox' : 'mail goes to Gmail',
  );
  await checkSender(deps.mailer, deps.logger, config.GMAIL_SEND_TIMEOUT_MS);
  await startServer(createApp(deps), {
    port: config.NOTIFICATION_SERVICE_PORT,
    portVariable: 'NOTIFICATION_SERVICE_PORT',
    host: config.HOST,
    logger: deps.logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    handleSignals: true,
    onClose: deps.close,
  });
  deps.worker.start();
});
