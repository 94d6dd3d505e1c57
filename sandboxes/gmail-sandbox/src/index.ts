export { createGmailSandbox, type GmailSandboxState } from './app.ts';
export { startGmailSandbox, type GmailSandboxOptions, type RunningGmailSandbox } from './server.ts';
export { AccessTokens, ACCESS_TOKEN_LIFETIME_SECONDS, GMAIL_SEND_SCOPE } from './access-tokens.ts';
export { Faults, type ActiveFault, type FaultMode, type FaultRequest } from './faults.ts';
export { MessageStore, type StoredMessage } from './message-store.ts';
export type { MessageView } from './messages-api.ts';
export type { DecodedMessage } from './decode-message.ts';
export type { GoogleErrorBody } from './google-errors.ts';
