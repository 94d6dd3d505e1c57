import type { SandboxState } from './state.ts';

/** Records an event; `thread` groups events that must reach the webhook endpoint in order. */
export type EmitEvent = (type: string, object: unknown, thread: string) => void;

/** What an API operation needs besides its parameters. */
export interface OperationContext {
  state: SandboxState;
  emit: EmitEvent;
  /** Where this sandbox is reachable from the caller's point of view, for next_action URLs. */
  baseUrl: string;
}

/** Responses and event payloads are snapshots: later changes to the stored object must not leak in. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
