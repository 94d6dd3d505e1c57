import { startGmailSandbox } from './server.ts';

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return 8025;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`gmail-sandbox: PORT must be an integer from 0 to 65535, got "${value}"`);
    process.exit(1);
  }
  return port;
}

const sandbox = await startGmailSandbox({
  port: portFromEnv(process.env.PORT),
  host: process.env.HOST || '127.0.0.1',
}).catch((error: unknown) => {
  console.error(`gmail-sandbox: cannot listen: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
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
