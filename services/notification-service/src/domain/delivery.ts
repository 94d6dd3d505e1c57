import { backoffDelay, isStorageFault, type Logger } from '@shop/shared';
import type { NotificationRecord, NotificationStore } from '../data/notificationStore.ts';
import { addMs, leaseMs } from './leases.ts';
import { DRAFT_GONE, MailerError, type MailFailure, type Mailer } from './mailer.ts';

export interface RetrySchedule {
  /** The first retry `baseMs` after the first failed try, doubling up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export interface DeliverySettings {
  /** While Gmail is unavailable (5xx, timeouts, no connection). */
  retry: RetrySchedule;
  /** While blocked by quota or configuration: minutes to hours; Gmail's Retry-After wins if longer. */
  blockedRetry: RetrySchedule;
  /** A mail not sent this long after it became due gives up (`failed`), whatever the cause. */
  giveUpAfterMs: number;
  /**
   * The worker's Gmail timeout: each call runDue() makes waits this long, and it is how long a send
   * Gmail got but did not answer may still take.
   */
  sendTimeoutMs: number;
}

export type Outcome = 'sent' | 'queued' | 'held' | 'failed' | 'skipped' | 'gave_up';

export interface DeliveryDeps {
  store: NotificationStore;
  mailer: Mailer;
  settings: DeliverySettings;
  logger: Logger;
  now: () => Date;
  /** Counts each outcome by notification type. */
  recordOutcome: (type: string, status: Outcome) => void;
}

export type Delivery = ReturnType<typeof createDelivery>;

const unexpected = (): MailFailure => ({
  reason: 'unexpected error while sending',
  kind: 'unavailable',
  mayHaveSent: true,
});

/**
 * Delivering mails: one try at a row this process holds in `sending` (the notify call's own try),
 * and every due row in turn (the worker's pass). A mail is never reported sent unless Gmail
 * accepted it, or its recorded draft is gone at Gmail (drafts.send deletes the draft it sends).
 */
export function createDelivery({ store, mailer, settings, logger, now, recordOutcome }: DeliveryDeps) {
  const finish = (record: NotificationRecord): NotificationRecord => store.get(record.id) ?? record;

  const markSent = (record: NotificationRecord, gmailMessageId: string | null, how: string) => {
    store.markSent(record.id, gmailMessageId, now().toISOString());
    recordOutcome(record.type, 'sent');
    logger.info(
      {
        notification_id: record.id,
        type: record.type,
        attempts: record.attempts,
        gmail_message_id: gmailMessageId,
      },
      how,
    );
  };

  const fail = (record: NotificationRecord, reason: string, outcome: 'failed' | 'gave_up') => {
    store.markFailed(record.id, reason, now().toISOString());
    recordOutcome(record.type, outcome);
    logger.error(
      {
        notification_id: record.id,
        type: record.type,
        attempts: record.attempts,
        reason,
        operator_action: outcome === 'gave_up',
      },
      outcome === 'gave_up'
        ? 'notification given up: an operator must look (re-send with POST /api/notifications/:id/resend)'
        : 'notification failed',
    );
  };

  /** When the next try is due after `failure`, on the schedule its kind calls for. */
  const retryDelay = (record: NotificationRecord, failure: MailFailure): number => {
    if (failure.kind === 'quota' || failure.kind === 'configuration') {
      return Math.max(
        failure.retryAfterMs ?? 0,
        backoffDelay(record.blocked_failures + 1, settings.blockedRetry),
      );
    }
    const backoff = Math.max(
      failure.retryAfterMs ?? 0,
      backoffDelay(record.unavailable_failures + 1, settings.retry),
    );
    // Gmail may still be handling an unanswered send: check the draft only once it could have finished.
    return failure.mayHaveSent ? Math.max(backoff, settings.sendTimeoutMs) : backoff;
  };

  const markFailedOrQueued = (record: NotificationRecord, failure: MailFailure) => {
    if (failure.kind === 'refused') return fail(record, failure.reason, 'failed');
    const at = now();
    const giveUpAt = new Date(record.queued_since).getTime() + settings.giveUpAfterMs;
    if (at.getTime() >= giveUpAt) {
      const hours = Math.round((settings.giveUpAfterMs / 3_600_000) * 100) / 100;
      return fail(record, `${failure.reason} (gave up: not sent within ${hours} h)`, 'gave_up');
    }
    // The last try comes at the give-up time, not after it.
    const delay = Math.min(retryDelay(record, failure), Math.max(1, giveUpAt - at.getTime()));
    const nextAttemptAt = addMs(at, delay);
    store.markQueued(record.id, {
      last_error: failure.reason,
      next_attempt_at: nextAttemptAt,
      verify_before_send: failure.mayHaveSent,
      schedule: failure.kind === 'unavailable' ? 'unavailable' : 'blocked',
      now: at.toISOString(),
    });
    recordOutcome(record.type, 'queued');
    logger.warn(
      {
        notification_id: record.id,
        type: record.type,
        attempts: record.attempts,
        reason: failure.reason,
        failure_kind: failure.kind,
        next_attempt_at: nextAttemptAt,
      },
      'notification queued for retry',
    );
  };

  /**
   * The send itself. The draft's id is recorded before drafts.send: once recorded, a draft that is
   * gone at Gmail has been sent, so no path sends a second copy. A try after one that may have
   * reached Gmail checks the draft first; if that check fails, the row is queued again with the
   * check still owed (never sent blind).
   */
  async function sendOnce(record: NotificationRecord & { mime: Buffer }, timeoutMs: number) {
    let draftId = record.gmail_draft_id;
    if (draftId && record.verify_before_send) {
      if ((await mailer.draftState(draftId, timeoutMs)) === DRAFT_GONE) {
        return markSent(record, null, 'notification found already sent: its draft is gone at Gmail');
      }
    }
    if (!draftId) {
      ({ draftId } = await mailer.createDraft(record.mime, timeoutMs));
      store.recordDraft(record.id, draftId, now().toISOString());
    }
    const sent = await mailer.sendDraft(draftId, timeoutMs);
    if (sent === DRAFT_GONE) {
      return markSent(record, null, 'notification found already sent: its draft is gone at Gmail');
    }
    markSent(record, sent.gmailMessageId, 'notification sent');
  }

  /**
   * One try at a row this process holds in `sending`; answers the row as it is afterwards. The
   * caller waits up to `timeoutMs` for each Gmail call.
   */
  async function attempt(record: NotificationRecord, timeoutMs: number): Promise<NotificationRecord> {
    const { mime } = record;
    if (!mime) {
      fail(record, 'no message stored', 'failed');
      return finish(record);
    }
    try {
      await sendOnce({ ...record, mime }, timeoutMs);
    } catch (error) {
      // Sent (perhaps) but not recorded: the row stays `sending`, and once its lease ends the
      // worker checks the draft at Gmail before any new send.
      if (isStorageFault(error)) throw error;
      if (!(error instanceof MailerError))
        logger.error({ err: error, notification_id: record.id }, 'unexpected delivery error');
      markFailedOrQueued(record, error instanceof MailerError ? error.failure : unexpected());
    }
    return finish(record);
  }

  /**
   * Tries every mail that is due now - queued rows whose time has come, and rows left in `sending`
   * whose lease ran out - one after another, until none is left or `stop()` turns true. Rows are
   * claimed one at a time, so each lease starts when its own try does. Answers how many were tried.
   */
  async function runDue(stop: () => boolean = () => false): Promise<number> {
    let tried = 0;
    while (!stop()) {
      const at = now();
      const [record] = store.claimDue(at.toISOString(), addMs(at, leaseMs(settings.sendTimeoutMs)), 1);
      if (!record) break;
      tried += 1;
      await attempt(record, settings.sendTimeoutMs);
    }
    return tried;
  }

  return { attempt, runDue };
}
