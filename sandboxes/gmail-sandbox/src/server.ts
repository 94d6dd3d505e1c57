import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { SandboxAccount } from './account.ts';
import { createGmailSandbox } from './app.ts';

export interface GmailSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the sandbox accepts any credentials, so it stays on loopback. */
  host?: string;
  /** The mailbox mail is sent from (its address and verified aliases); no-reply@shop.local by default. */
  account?: SandboxAccount;
}

export interface RunningGmailSandbox {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8025. */
  url: string;
  port: number;
  app: Express;
  close(): Promise<void>;
}

export async function startGmailSandbox(options: GmailSandboxOptions = {}): Promise<RunningGmailSandbox> {
  const app = createGmailSandbox({ account: options.account });
  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port ?? 0, host);
  // Express 5.1 does not hand listen errors (EADDRINUSE) to the callback, so wait on the events.
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from HTTP clients would otherwise hold close() open.
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
