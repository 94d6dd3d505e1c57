/** Gmail's OAuth scopes, by their full URLs. */
const GMAIL = 'https://www.googleapis.com/auth/gmail';
export const SCOPES = {
  full: 'https://mail.google.com/',
  modify: `${GMAIL}.modify`,
  compose: `${GMAIL}.compose`,
  send: `${GMAIL}.send`,
  readonly: `${GMAIL}.readonly`,
  metadata: `${GMAIL}.metadata`,
  settingsBasic: `${GMAIL}.settings.basic`,
} as const;

/**
 * The scopes each endpoint accepts (any one of them), as the Gmail API reference lists them under
 * "Authorization scopes". A token with none of them gets 403 insufficientPermissions.
 */
export const ENDPOINT_SCOPES = {
  messagesSend: [SCOPES.full, SCOPES.modify, SCOPES.compose, SCOPES.send],
  messagesList: [SCOPES.full, SCOPES.modify, SCOPES.readonly, SCOPES.metadata],
  draftsCreate: [SCOPES.full, SCOPES.modify, SCOPES.compose],
  draftsGet: [SCOPES.full, SCOPES.modify, SCOPES.compose, SCOPES.readonly],
  draftsSend: [SCOPES.full, SCOPES.modify, SCOPES.compose],
  sendAsList: [SCOPES.full, SCOPES.modify, SCOPES.readonly, SCOPES.settingsBasic],
} as const satisfies Record<string, readonly string[]>;

/** What the notification-service needs: drafts (compose) and the send-as check (settings.basic). */
export const DEFAULT_GRANTED_SCOPES = [SCOPES.compose, SCOPES.settingsBasic];
