import { listenFailure, loadConfig, runMain } from '@shop/shared/startup';
import { gmailSandboxEnv } from './config.ts';
import { startGmailSandbox } from './server.ts';

// `pnpm --filter @shop/gmail-sandbox start` (compiled) or `dev` (TypeScript, restarts on change).
await runMain(async () => {
  const {
    GMAIL_SANDBOX_PORT: port,
    HOST: host,
    GMAIL_SANDBOX_ACCOUNT: address,
  } = loadConfig(gmailSandboxEnv);
  const sandbox = await startGmailSandbox({ port, host, account: { address, aliases: [] } }).catch(
    (error: unknown) => {
      throw listenFailure(error, { port, host, portVariable: 'GMAIL_SANDBOX_PORT' });
    },
  );
  console.log(
    `gmail-sandbox: inbox at ${sandbox.url}/ (token URL ${sandbox.url}/token, rootUrl ${sandbox.url}/)`,
  );

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('gmail-sandbox: close failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
});
