export { createStripeSandbox, DEFAULT_WEBHOOK_SECRET } from './app.ts';
export type { StripeSandbox, StripeSandboxOptions } from './app.ts';
export { startStripeSandbox } from './server.ts';
export type { RunningStripeSandbox, StartOptions } from './server.ts';
export { signatureHeader } from './webhook-signature.ts';
export { TEST_PAYMENT_METHODS } from './payment-methods.ts';
export type { FaultInput } from './faults.ts';
export type * from './state.ts';
