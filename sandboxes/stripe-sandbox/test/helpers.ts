import { createServer, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { waitUntil } from '@shop/shared/testing';
import { startStripeSandbox, type RunningStripeSandbox, type StartOptions } from '../src/index.ts';

export const WEBHOOK_SECRET = 'whsec_test_secret_for_sandbox_tests';

export function stripeFor(sandbox: RunningStripeSandbox, config: Stripe.StripeConfig = {}): Stripe {
  return new Stripe('sk_test_sandbox', {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    ...config,
  });
}

/** Starts a sandbox on 127.0.0.1:0 for one test and always closes it. */
export async function withSandbox(
  run: (sandbox: RunningStripeSandbox, stripe: Stripe) => Promise<void>,
  options: StartOptions = {},
): Promise<void> {
  const sandbox = await startStripeSandbox({ webhookSecret: WEBHOOK_SECRET, ...options });
  try {
    await run(sandbox, stripeFor(sandbox));
  } finally {
    await sandbox.close();
  }
}

export interface ReceivedWebhook {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A real HTTP endpoint for webhooks; answers with the queued statuses first, then 200. */
export async function startReceiver(statuses: number[] = []) {
  const received: ReceivedWebhook[] = [];
  const queue = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.statusCode = queue.shift() ?? 200;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const waitFor = <T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5_000,
) => waitUntil(check, { timeoutMs, intervalMs: 10 });

/** Sandbox control endpoints take JSON and no auth. */
export async function control(sandbox: RunningStripeSandbox, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** True once every injected fault is used up: a delayed request is then inside the sandbox. */
export async function faultsUsedUp(sandbox: RunningStripeSandbox): Promise<boolean> {
  return ((await control(sandbox, 'GET', '/_sandbox/faults')).body.data as unknown[]).length === 0;
}

export async function caught(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Stripe's message for a key reused with other parameters. */
export const paramsMismatchMessage = (key: string) =>
  'Keys for idempotent requests can only be used with the same parameters they were first used with. ' +
  `Try using a key other than '${key}' if you meant to execute a different request.`;
