/** Why sending (or looking up) a mail failed, in the terms the delivery rules need. */
export interface MailFailure {
  reason: string;
  /** Worth trying again later (provider busy or down, a timeout, credentials that may be fixed). */
  retryable: boolean;
  /** The send may have reached the provider (no answer, or an answer that does not rule it out). */
  mayHaveSent: boolean;
  /** Credentials or scopes are wrong: only an operator can fix it. */
  configProblem: boolean;
}

export class MailerError extends Error {
  override name = 'MailerError';
  constructor(readonly failure: MailFailure) {
    super(failure.reason);
  }
}

/** The mail provider (Gmail). Implementations reject with MailerError only. */
export interface Mailer {
  /** The From address of every mail. */
  sender: string;
  send(mime: Buffer, timeoutMs: number): Promise<{ gmailMessageId: string | null }>;
  /** The provider's id of a sent message with this Message-ID header, if there is one. */
  findSent(messageId: string, timeoutMs: number): Promise<string | undefined>;
}
