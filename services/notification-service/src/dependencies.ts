import {
  openDatabaseSetting,
  type Logger,
  type PollingWorker,
  serviceBasics,
  type ServiceBasics,
} from '@shop/shared';
import { orderApi, userApi } from '@shop/shared/contracts';
import { createGmailMailer } from './clients/gmailMailer.ts';
import type { Config } from './config.ts';
import type { NotificationStore } from './data/notificationStore.ts';
import { openNotificationStore } from './data/sqliteNotificationStore.ts';
import { createDelivery, type Delivery, type DeliveryDeps } from './domain/delivery.ts';
import type { Mailer } from './domain/mailer.ts';
import { createNotifier, type Notifier } from './domain/notifier.ts';
import { createDeliveryWorker } from './domain/worker.ts';

/** Everything the notification-service is made of, built from its configuration. */
export interface Dependencies extends ServiceBasics<Config> {
  store: NotificationStore;
  /** The notify use case and the user's reads of their notifications. */
  notifier: Notifier;
  /** Gmail, through the official client (drafts, and the send-as check at start). */
  mailer: Mailer;
  /** Delivery tries; `runDue()` tries every mail that is due now, once. */
  delivery: Delivery;
  /** Retries due mails in the background; built stopped (main.ts starts it after listening). */
  worker: PollingWorker;
  /** Stops the worker (waiting for the try in progress), then closes the store. */
  close(): Promise<void>;
}

/** Builds the dependencies; main.ts and the tests both start here (tests may hand in a logger). */
export function buildDependencies(config: Config, given: { logger?: Logger } = {}): Dependencies {
  const basics = serviceBasics('notification-service', config, given);
  const { logger, metrics } = basics;
  const store = openDatabaseSetting(
    'NOTIFICATION_DB_PATH',
    config.NOTIFICATION_DB_PATH,
    openNotificationStore,
  );
  const now = () => new Date();

  const outcomes = metrics.counter(
    'notifications_total',
    'Notifications by type and outcome: sent, queued (for a retry), skipped (muted), failed (refused by Gmail), gave_up (not sent within NOTIFICATION_GIVE_UP_AFTER_HOURS: an operator must look).',
    ['type', 'status'],
  );
  const recordOutcome: DeliveryDeps['recordOutcome'] = (type, status) => outcomes.inc({ type, status });

  const capped = metrics.counter(
    'notifications_capped_total',
    'Mails held back because their recipient mailbox was over NOTIFY_RECIPIENT_HOURLY_CAP: deferred (sent later) or skipped (not sent).',
    ['type', 'outcome'],
  );

  const users = basics.neighbour(userApi, config.USER_SERVICE_URL);
  const orders = basics.neighbour(orderApi, config.ORDER_SERVICE_URL);
  const mailer = createGmailMailer(config.gmail, {
    logger,
    metrics,
    tokenTimeoutMs: config.GMAIL_SEND_TIMEOUT_MS,
  });

  const delivery = createDelivery({
    store,
    mailer,
    settings: {
      retry: { baseMs: config.NOTIFY_RETRY_BASE_MS, maxMs: config.NOTIFY_RETRY_MAX_MS },
      blockedRetry: {
        baseMs: config.NOTIFY_BLOCKED_RETRY_BASE_MS,
        maxMs: config.NOTIFY_BLOCKED_RETRY_MAX_MS,
      },
      giveUpAfterMs: config.NOTIFICATION_GIVE_UP_AFTER_HOURS * 3_600_000,
      sendTimeoutMs: config.GMAIL_SEND_TIMEOUT_MS,
    },
    logger,
    now,
    recordOutcome,
  });
  const notifier = createNotifier({
    store,
    users,
    orders,
    mailer,
    delivery,
    logger,
    now,
    inlineTimeoutMs: config.NOTIFY_INLINE_SEND_TIMEOUT_MS,
    recipientHourlyCap: config.NOTIFY_RECIPIENT_HOURLY_CAP,
    heldRecheckMs: config.NOTIFY_HELD_RECHECK_MS,
    giveUpAfterMs: config.NOTIFICATION_GIVE_UP_AFTER_HOURS * 3_600_000,
    recordOutcome,
    recordCapped: (type, outcome) => capped.inc({ type, outcome }),
  });
  const worker = createDeliveryWorker({
    delivery,
    recheckHeld: () => notifier.recheckHeld(),
    logger,
    intervalMs: config.NOTIFY_WORKER_INTERVAL_MS,
  });

  return {
    ...basics,
    store,
    mailer,
    notifier,
    delivery,
    worker,
    close: async () => {
      // After the last request: let the worker finish its try, then close the database.
      await worker.stop();
      store.close();
    },
  };
}
