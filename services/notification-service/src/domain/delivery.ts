import { backoffDelay, isStorageFault, type Logger } from '@shop/shared';
import type { NotificationRecord, NotificationStore } from '../data/notificationStore.ts';
import { addMs, leaseMs } from './leases.ts';
import { messageIdFor } from './composeMime.ts';
import { MailerError, type MailFailure, type Mailer } from './mailer.ts';

export interface DeliverySettings {
  maxAttempts: number;
  /** The retry schedule: the first retry `baseMs` after the first failed try, doubling up to `maxMs`. */
  retry: { baseMs: number; maxMs: number };
  /**
   * The worker's Gmail timeout: each call runDue() makes waits this long, and it is how long a send
   * Gmail got but did not answer may still take.
   */
  sendTimeoutMs: number;
}

export interface DeliveryDeps {
  store: NotificationStore;
  mailer: Mailer;
  settings: DeliverySettings;
  logger: Logger;
  now: () => Date;
  /** Counts each outcome (sent, queued, failed) by notification type. */
  recordOutcome: (type: string, status: 'sent' | 'queued' | 'failed' | 'skipped') => void;
}

export type Delivery = ReturnType<typeof createDelivery>;

/**
 * Delivering mails: one try at a row this process holds in `sending` (the notify call's own try),
 * and every due row in turn (the worker's pass). A mail is never reported sent unless Gmail
 * accepted it (or Gmail shows that an earlier, unanswered try went through).
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

  const markFailedOrQueued = (record: NotificationRecord, failure: MailFailure) => {
    const at = now();
    if (!failure.retryable || record.attempts >= settings.maxAttempts) {
      const reason = failure.retryable
        ? `${failure.reason} (gave up after ${record.attempts} tries)`
        : failure.reason;
      store.markFailed(record.id, reason, at.toISOString());
      recordOutcome(record.type, 'failed');
      logger.error(
        { notification_id: record.id, type: record.type, attempts: record.attempts, reason },
        'notification failed',
      );
      return;
    }
    const backoff = backoffDelay(record.attempts, settings.retry);
    // Gmail may still be handling an unanswered send: look it up only once it could have finished,
    // or the lookup misses it and the retry sends the mail a second time.
    const delay = failure.mayHaveSent ? Math.max(backoff, settings.sendTimeoutMs) : backoff;
    const nextAttemptAt = addMs(at, delay);
    store.markQueued(record.id, {
      last_error: failure.reason,
      next_attempt_at: nextAttemptAt,
      verify_before_send: failure.mayHaveSent,
      now: at.toISOString(),
    });
    recordOutcome(record.type, 'queued');
    logger.warn(
      {
        notification_id: record.id,
        type: record.type,
        attempts: record.attempts,
        reason: failure.reason,
        next_attempt_at: nextAttemptAt,
      },
      'notification queued for retry',
    );
  };

  /**
   * One try at a row this process holds in `sending`; answers the row as it is afterwards. The
   * caller waits up to `timeoutMs` for each Gmail call.
   */
  async function attempt(record: NotificationRecord, timeoutMs: number): Promise<NotificationRecord> {
    if (!record.mime) {
      markFailedOrQueued(record, {
        reason: 'no message stored',
        retryable: false,
        mayHaveSent: false,
        configProblem: false,
      });
      return finish(record);
    }
    try {
      if (record.verify_before_send) {
        // An earlier try may have reached Gmail without us hearing back: look before sending again.
        const found = await mailer.findSent(messageIdFor(record.id), timeoutMs);
        if (found) {
          markSent(record, found, 'notification found already sent at Gmail');
          return finish(record);
        }
      }
      const { gmailMessageId } = await mailer.send(record.mime, timeoutMs);
      markSent(record, gmailMessageId, 'notification sent');
    } catch (error) {
      // Sent (perhaps) but not recorded: the row stays `sending`, and once its lease ends the
      // worker looks the mail up at Gmail before any new send.
      if (isStorageFault(error)) throw error;
      if (!(error instanceof MailerError))
        logger.error({ err: error, notification_id: record.id }, 'unexpected delivery error');
      const failure: MailFailure =
        error instanceof MailerError
          ? error.failure
          : {
              reason: 'unexpected error while sending',
              retryable: true,
              mayHaveSent: true,
              configProblem: false,
            };
      markFailedOrQueued(record, failure);
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
