/**
 * Why a Gmail call failed, in the terms the delivery rules need:
 * - `unavailable`: Gmail busy, down or silent (5xx, a timeout, no connection); retried soon.
 * - `quota`: a usage limit (403 rate/daily limits, 429); retried on the slow schedule, honouring Retry-After.
 * - `configuration`: credentials, scopes or sender are wrong; only an operator can fix it; slow schedule.
 * - `refused`: Gmail will never accept this message; the mail fails at once.
 */
export type FailureKind = 'unavailable' | 'quota' | 'configuration' | 'refused';

export interface MailFailure {
  reason: string;
  kind: FailureKind;
  /** The call may have taken effect at Gmail (no answer, or an answer that does not rule it out). */
  mayHaveSent: boolean;
  /** Gmail's Retry-After, when it sent one. */
  retryAfterMs?: number;
}

export class MailerError extends Error {
  override name = 'MailerError';
  constructor(readonly failure: MailFailure) {
    super(failure.reason);
  }
}

/** A draft that is no longer there: sent (drafts.send deletes it) or deleted by hand. */
export const DRAFT_GONE = 'gone';

/**
 * The mail provider (Gmail), through drafts: a draft is created (and its id recorded by the caller)
 * before it is sent, so a send that got no answer can be checked by the draft id. Implementations
 * reject with MailerError only.
 */
export interface Mailer {
  /** The From address of every mail. */
  sender: string;
  createDraft(mime: Buffer, timeoutMs: number): Promise<{ draftId: string }>;
  /** Whether the draft still exists (not sent yet), or DRAFT_GONE. */
  draftState(draftId: string, timeoutMs: number): Promise<'pending' | typeof DRAFT_GONE>;
  /** Sends the draft; DRAFT_GONE when it no longer exists (an earlier send went out). */
  sendDraft(
    draftId: string,
    timeoutMs: number,
  ): Promise<{ gmailMessageId: string | null } | typeof DRAFT_GONE>;
  /** The addresses Gmail lets the account send as: its own and its verified send-as aliases. */
  allowedSenders(timeoutMs: number): Promise<string[]>;
}
