import type { Request } from 'express';
import type { SandboxCore } from './core.ts';
import type { SandboxState } from './state.ts';

/** Records an event; `thread` groups events that must reach the webhook endpoint in order. */
export type EmitEvent = (type: string, object: unknown, thread: string) => void;

/** What an API operation needs besides its parameters. */
export interface OperationContext {
  state: SandboxState;
  emit: EmitEvent;
  /** Where this sandbox is reachable from the caller's point of view, for next_action URLs. */
  baseUrl: string;
  /** The account's settlement currency (lower case): minimum charges are in it. */
  settlementCurrency: string;
}

/** Where this sandbox is reachable from the caller's point of view. */
export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

/** The context of a sandbox-only action (the confirm page, the controls): events carry no request. */
export function controlContext(core: SandboxCore, req: Request): OperationContext {
  return {
    state: core.state,
    baseUrl: baseUrlOf(req),
    settlementCurrency: core.settlementCurrency,
    emit: (type, object, thread) =>
      core.webhooks.record(type, object, thread, { id: null, idempotency_key: null }),
  };
}

/** Responses and event payloads are snapshots: later changes to the stored object must not leak in. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
