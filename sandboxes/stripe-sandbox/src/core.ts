import type { FaultList } from './faults.ts';
import type { IdempotencyStore } from './idempotency.ts';
import type { SandboxState } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

/** The parts of one sandbox instance the HTTP layer works with. */
export interface SandboxCore {
  state: SandboxState;
  faults: FaultList;
  idempotency: IdempotencyStore;
  webhooks: WebhookDispatcher;
  /** The account's settlement currency (lower case); Stripe's minimum charge is in it. */
  settlementCurrency: string;
  /** Aborted on close, so delays and hung requests stop waiting. */
  shutdown: AbortSignal;
}
