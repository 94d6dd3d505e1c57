import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createStripeSandbox, type StripeSandboxOptions } from './app.ts';
import type { SandboxState } from './state.ts';

export interface StartOptions extends StripeSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the sandbox is for this machine only. */
  host?: string;
}

export interface RunningStripeSandbox {
  url: string;
  port: number;
  app: Express;
  state: SandboxState;
  setWebhookUrl(url: string | null): void;
  close(): Promise<void>;
}

export async function startStripeSandbox(options: StartOptions = {}): Promise<RunningStripeSandbox> {
  const sandbox = createStripeSandbox(options);
  const host = options.host ?? '127.0.0.1';
  const server = sandbox.app.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app: sandbox.app,
    state: sandbox.state,
    setWebhookUrl: sandbox.setWebhookUrl,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        sandbox.shutdown();
        server.close((error) => (error ? reject(error) : resolve()));
        // Requests hung by a 'timeout' fault (and idle keep-alive sockets) would hold close() forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
