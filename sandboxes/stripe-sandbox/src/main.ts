import { listenFailure, loadConfig, runMain } from '@shop/shared/startup';
import { stripeSandboxEnv } from './config.ts';
import { startStripeSandbox } from './server.ts';

// `pnpm --filter @shop/stripe-sandbox start` (compiled) or `dev` (TypeScript, restarts on change).
await runMain(async () => {
  const config = loadConfig(stripeSandboxEnv);
  const { STRIPE_SANDBOX_PORT: port, HOST: host, STRIPE_SANDBOX_WEBHOOK_URL: webhookUrl } = config;
  const sandbox = await startStripeSandbox({
    port,
    host,
    webhookUrl,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    settlementCurrency: config.STRIPE_SETTLEMENT_CURRENCY,
  }).catch((error: unknown) => {
    throw listenFailure(error, { port, host, portVariable: 'STRIPE_SANDBOX_PORT' });
  });
  console.log(
    JSON.stringify({ msg: 'stripe-sandbox listening', url: sandbox.url, webhook_url: webhookUrl ?? null }),
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void sandbox.close().then(() => process.exit(0));
    });
  }
});
