/**
 * `pnpm start`: the whole system on this machine - both sandboxes and the four services, each its own
 * process, with embedded defaults (SQLite stores, generated keys, local Stripe and Gmail). Values in a
 * `.env` file at the repo root, or in the environment, override the defaults (see .env.example).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadOrCreateDevKeys } from '@shop/shared';
import { DEFAULT_PORTS, REPO_ROOT, type Ports, type ProcessName } from './stack/processes.ts';
import { sandboxChoice, startStack } from './stack/startStack.ts';

const envFile = resolve(REPO_ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

const portVariables: Record<ProcessName, string> = {
  'stripe-sandbox': 'STRIPE_SANDBOX_PORT',
  'gmail-sandbox': 'GMAIL_SANDBOX_PORT',
  'user-service': 'USER_SERVICE_PORT',
  'order-service': 'ORDER_SERVICE_PORT',
  'payment-service': 'PAYMENT_SERVICE_PORT',
  'notification-service': 'NOTIFICATION_SERVICE_PORT',
};
const ports = Object.fromEntries(
  Object.entries(DEFAULT_PORTS).map(([name, port]) => [
    name,
    Number(process.env[portVariables[name as ProcessName]] ?? port),
  ]),
) as Ports;

const COLORS = [36, 35, 33, 32, 34, 31];
const width = Math.max(...Object.keys(ports).map((n) => n.length));
const names = Object.keys(ports);
const prefix = (name: string) =>
  process.stdout.isTTY
    ? `\x1b[${COLORS[names.indexOf(name) % COLORS.length]}m${name.padEnd(width)}\x1b[0m |`
    : `${name.padEnd(width)} |`;

const secretsConfigured = process.env.JWT_PRIVATE_KEY || process.env.JWT_PRIVATE_KEY_FILE;
if (!secretsConfigured && process.env.NODE_ENV !== 'production') loadOrCreateDevKeys(); // once, before the services race for it

console.log('Starting the shop: 2 sandboxes and 4 services (Ctrl-C stops them all)...');
const stack = await startStack({
  ports,
  onLine: (name, line) => console.log(`${prefix(name)} ${line}`),
}).catch((error: unknown) => {
  console.error(`Start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

const choice = sandboxChoice(process.env);
console.log('\nThe shop is running:');
for (const [name, running] of stack.processes) console.log(`  ${name.padEnd(width)}  ${running.url}`);
if (choice.sandboxGmail) console.log(`  ${'inbox'.padEnd(width)}  ${stack.url('gmail-sandbox')}/`);
if (!choice.sandboxStripe) console.log('  (real Stripe: STRIPE_SECRET_KEY is set)');
if (!choice.sandboxGmail) console.log('  (real Gmail: GMAIL_* credentials are set)');
console.log(`  ${'API docs'.padEnd(width)}  ${stack.url('user-service')}/docs (and on every service)\n`);

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await stack.stop();
  console.log('Stopped.');
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
for (const [name, running] of stack.processes) {
  running.child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the others.`);
    void shutdown(1);
  });
}
