/**
 * `pnpm start`: the whole system on this machine - both sandboxes and the four services, each its own
 * process, with embedded defaults (SQLite stores, generated keys, local Stripe and Gmail). Values in a
 * `.env` file at the repo root, or in the environment, override the defaults (see .env.example).
 */
import { loadEnvFile, loadOrCreateDevKeys } from '@shop/shared';
import { buildWorkspace } from './stack/build.ts';
import { DEFAULT_PORTS, portVariable, type Ports, type ProcessName } from './stack/processes.ts';
import { sandboxChoice, startStack } from './stack/startStack.ts';
import { parseStartOptions, START_USAGE } from './startOptions.ts';

let options;
try {
  options = parseStartOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (options.help) {
  console.log(START_USAGE);
  process.exit(0);
}

let envFile;
try {
  envFile = loadEnvFile();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const ports = Object.fromEntries(
  Object.entries(DEFAULT_PORTS).map(([name, port]) => [
    name,
    Number(process.env[portVariable(name as ProcessName)] || port),
  ]),
) as Ports;

const COLORS = [36, 35, 33, 32, 34, 31];
const width = Math.max(...Object.keys(ports).map((n) => n.length));
const names = Object.keys(ports);
const prefix = (name: string) =>
  process.stdout.isTTY
    ? `\x1b[${COLORS[names.indexOf(name) % COLORS.length]}m${name.padEnd(width)}\x1b[0m |`
    : `${name.padEnd(width)} |`;

// Once, before the services race for it: each takes from it whatever key it is not given.
if (process.env.NODE_ENV !== 'production') loadOrCreateDevKeys();

if (options.runtime === 'compiled') {
  console.log('Building the services and sandboxes (tsc -b)...');
  try {
    buildWorkspace();
  } catch (error) {
    console.error(`Start failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
console.log(
  `Starting the shop: 2 sandboxes and 4 services${envFile ? `, with ${envFile}` : ''}` +
    `${options.runtime === 'watch' ? ', from TypeScript, restarted on change' : ''} (Ctrl-C stops them all)...`,
);
const stack = await startStack({
  ports,
  runtime: options.runtime,
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
    const how = signal ?? `exit code ${code}`;
    if (!options.keepGoing) {
      console.error(
        `${name} stopped unexpectedly (${how}); stopping the others (--keep-going keeps them running).`,
      );
      void shutdown(1);
      return;
    }
    const alive = [...stack.processes.values()].filter(
      (p) => p.child.exitCode === null && p.child.signalCode === null,
    );
    console.error(`${name} stopped unexpectedly (${how}); ${alive.length} keep running (--keep-going).`);
    if (alive.length === 0) void shutdown(1);
  });
}
