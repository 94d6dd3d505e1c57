// Prints the URLs the curl walkthrough calls, as shell assignments, from `.env` and the environment:
// the same loadEnvFile as every other entry point, so a port moved in `.env` moves the URL too.
import { loadEnvFile } from '@shop/shared/startup';

try {
  loadEnvFile();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
for (const name of [
  'USER_SERVICE_URL',
  'ORDER_SERVICE_URL',
  'PAYMENT_SERVICE_URL',
  'GMAIL_SANDBOX_URL',
  'STRIPE_SANDBOX_URL',
]) {
  console.log(`${name}=${quote(process.env[name]!)}`);
}
