import express, { type ErrorRequestHandler, type Express } from 'express';
import { AccessTokens } from './access-tokens.ts';
import { DEFAULT_ACCOUNT, type SandboxAccount } from './account.ts';
import { draftsRouter } from './drafts-endpoint.ts';
import { Faults, faultsRouter } from './faults.ts';
import { sendGoogleError } from './google-errors.ts';
import { inboxRouter } from './inbox-page.ts';
import { MessageStore } from './message-store.ts';
import { listRouter } from './list-endpoint.ts';
import { messagesApiRouter } from './messages-api.ts';
import { RefreshTokens, refreshTokensRouter } from './refresh-tokens.ts';
import { sendAsRouter } from './send-as-endpoint.ts';
import { sendRouter } from './send-endpoint.ts';
import { tokenRouter } from './token-endpoint.ts';

export interface GmailSandboxState {
  tokens: AccessTokens;
  refreshTokens: RefreshTokens;
  faults: Faults;
  store: MessageStore;
  /** The mailbox mail is sent from; defaults to no-reply@shop.local with no aliases. */
  account: SandboxAccount;
}

// Body-parser failures (bad JSON, too large) come back in Google's error shape, never as HTML.
const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = status === 413 ? 'Request payload too large.' : 'Invalid JSON payload received.';
    return sendGoogleError(res, status, message);
  }
  console.error('gmail-sandbox: unexpected error', err);
  sendGoogleError(res, 500, 'Internal error encountered.');
};

/** Builds the sandbox's Express app with fresh in-memory state; it does not listen. */
export function createGmailSandbox(state: Partial<GmailSandboxState> = {}): Express {
  const tokens = state.tokens ?? new AccessTokens();
  const refreshTokens = state.refreshTokens ?? new RefreshTokens();
  const faults = state.faults ?? new Faults();
  const store = state.store ?? new MessageStore();
  const account = state.account ?? DEFAULT_ACCOUNT;
  const gmail = { tokens, faults, store, account };

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    express.urlencoded({ extended: false, type: 'application/x-www-form-urlencoded' }),
    tokenRouter(tokens, refreshTokens, faults),
  );
  app.use(sendRouter(gmail), draftsRouter(gmail), listRouter(gmail), sendAsRouter(gmail));
  app.use('/api', express.json());
  app.use(
    faultsRouter(faults),
    refreshTokensRouter(refreshTokens),
    messagesApiRouter(store),
    inboxRouter(store),
  );
  app.use((req, res) => sendGoogleError(res, 404, `Not found: ${req.method} ${req.path}`));
  app.use(errorHandler);
  return app;
}
