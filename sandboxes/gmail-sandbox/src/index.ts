export { createGmailSandbox, type GmailSandboxState } from './app.ts';
export { startGmailSandbox, type GmailSandboxOptions, type RunningGmailSandbox } from './server.ts';
export { AccessTokens, ACCESS_TOKEN_LIFETIME_SECONDS } from './access-tokens.ts';
export { DEFAULT_ACCOUNT, type SandboxAccount } from './account.ts';
export { DEFAULT_REFRESH_TOKEN, RefreshTokens } from './refresh-tokens.ts';
export { SCOPES, ENDPOINT_SCOPES, DEFAULT_GRANTED_SCOPES } from './scopes.ts';
export {
  Faults,
  OPERATIONS,
  type ActiveFault,
  type FaultMode,
  type FaultRequest,
  type Operation,
} from './faults.ts';
export { MessageStore, type StoredMessage } from './message-store.ts';
export type { MessageView } from './messages-api.ts';
export type { DecodedMessage } from './decode-message.ts';
export type { GoogleErrorBody } from './google-errors.ts';
