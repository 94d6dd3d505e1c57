import express, { type ErrorRequestHandler, type Express } from 'express';
import { apiError, invalidRequest } from './errors.ts';
import { apiRouter } from './api-routes.ts';
import { controlRouter } from './control-routes.ts';
import { confirmPageRouter } from './confirm-page.ts';
import { requireSupportedCurrency } from './currencies.ts';
import { FaultList } from './faults.ts';
import { IdempotencyStore } from './idempotency.ts';
import { createState, type SandboxState } from './state.ts';
import { DEFAULT_RETRY_DELAYS_MS, WebhookDispatcher } from './webhooks.ts';
import type { SandboxCore } from './core.ts';

export const DEFAULT_WEBHOOK_SECRET = 'whsec_sandbox_local_dev_secret';

export interface StripeSandboxOptions {
  /** Where signed events are POSTed; none = events are only logged. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Delay before each webhook retry; its length bounds the retries. */
  webhookRetryDelaysMs?: number[];
  /** The account's settlement currency (default usd): charges below its minimum are refused. */
  settlementCurrency?: string;
}

export interface StripeSandbox {
  app: Express;
  state: SandboxState;
  core: SandboxCore;
  setWebhookUrl(url: string | null): void;
  /** Stops webhook deliveries and wakes delayed requests; the HTTP server is closed by the caller. */
  shutdown(): void;
}

/** Builds the sandbox's Express app and its in-memory state, without listening. */
export function createStripeSandbox(options: StripeSandboxOptions = {}): StripeSandbox {
  const state = createState();
  const lifetime = new AbortController();
  const webhooks = new WebhookDispatcher(state, {
    url: options.webhookUrl,
    secret: options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
    retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
  });
  const core: SandboxCore = {
    state,
    faults: new FaultList(),
    idempotency: new IdempotencyStore(),
    webhooks,
    settlementCurrency: requireSupportedCurrency(options.settlementCurrency ?? 'usd'),
    shutdown: lifetime.signal,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended'); // Stripe's bracket notation in query strings, e.g. created[gte]
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/v1', apiRouter(core));
  app.use('/_sandbox', controlRouter(core));
  app.use('/confirm', confirmPageRouter(core));
  app.use((req, res) => {
    res.status(404).json(invalidRequest(`Unrecognized request URL (${req.method}: ${req.path}).`).body);
  });
  // Bad JSON on the control endpoints and anything unexpected: Stripe-shaped, never a stack trace.
  const lastResort: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    const status =
      typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) console.error('stripe-sandbox: unexpected error', error);
    const body =
      status === 500
        ? apiError('An unknown error occurred.').body
        : invalidRequest('Invalid request body.').body;
    res.status(status).json(body);
  };
  app.use(lastResort);

  return {
    app,
    state,
    core,
    setWebhookUrl: (url) => webhooks.setUrl(url),
    shutdown: () => {
      lifetime.abort();
      webhooks.abortAll();
    },
  };
}
