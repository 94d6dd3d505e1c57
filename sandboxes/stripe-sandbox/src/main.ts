import { DEFAULT_WEBHOOK_SECRET } from './app.ts';
import { startStripeSandbox } from './server.ts';

// Dev entry: `pnpm --filter @shop/stripe-sandbox start`.
const port = Number(process.env.PORT ?? 12111);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`stripe-sandbox: PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}
const webhookUrl = process.env.STRIPE_SANDBOX_WEBHOOK_URL || undefined;
if (webhookUrl !== undefined && !URL.canParse(webhookUrl)) {
  console.error(`stripe-sandbox: STRIPE_SANDBOX_WEBHOOK_URL must be an absolute URL, got '${webhookUrl}'`);
  process.exit(1);
}

const sandbox = await startStripeSandbox({
  port,
  host: process.env.HOST || '127.0.0.1',
  webhookUrl,
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || DEFAULT_WEBHOOK_SECRET,
});
console.log(
  JSON.stringify({ msg: 'stripe-sandbox listening', url: sandbox.url, webhook_url: webhookUrl ?? null }),
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
