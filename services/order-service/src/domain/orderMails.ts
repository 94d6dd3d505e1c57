import { backoffDelay, createPollingWorker, type Logger, type PollingWorker } from '@shop/shared';
import type { MailOutcome, MailRequest } from '@shop/shared/clients';
import type { Order } from '@shop/shared/contracts';
import type { OwedMail, OwedMails } from '../data/orderStore.ts';

/** Due rows read per look, and at most this many requests in flight from the worker at once. */
const BATCH = 50;
const CONCURRENCY = 4;
/**
 * At most this many creators' tries in flight at once. Past it, a new order's request is left to the
 * worker (due at once): under a burst, one try per order flooded the notification-service, most
 * timed out while it still worked on them, and each was then sent again.
 */
const AT_ONCE_LIMIT = 8;
/** A try's hold on its row lasts its call's timeout and this much more (the row is not tried twice at once). */
const LEASE_MARGIN_MS = 1000;
/**
 * Accepted requests are marked done together this long after the first: one commit (one fsync) for
 * the many orders a busy second accepts, instead of one more per order. A mark lost to a crash
 * only repeats a request once its hold ends, which the notification-service answers with the same mail.
 */
const DONE_FLUSH_MS = 20;

export type MailAttemptOutcome = 'sent' | 'retried' | 'given_up';

export interface OrderMailDeps {
  mails: OwedMails;
  /** The order as stored (sent with its request, so the notification-service need not read it back). */
  orderOf: (orderId: string) => Order | undefined;
  /** One try of a mail request (createMailRequests().send: one call, no retries, its own timeout). */
  send: (body: MailRequest) => Promise<MailOutcome>;
  logger: Logger;
  /** The timeout of one try (ORDER_MAIL_TIMEOUT_MS). */
  sendTimeoutMs: number;
  /** Delay after the n-th failed try: backoffDelay(n, retry). */
  retry: { baseMs: number; maxMs: number };
  /** A request still failing this long after its order was created is given up. */
  giveUpAfterMs: number;
  intervalMs: number;
  record: (outcome: MailAttemptOutcome) => void;
}

export interface OrderMails {
  /** When a new order's request is first due for the worker: after the creator's own try, or at once when too many are in flight. */
  firstDueAt(now: number): number;
  /** Right after the order committed: its first try, in the background (the caller never waits), unless left to the worker. */
  kick(order: Order): void;
  /** Tries every due request once, CONCURRENCY at a time (the worker's tick). */
  runDue(): Promise<void>;
  /** Sends due requests in the background, across restarts; built stopped. */
  worker: PollingWorker;
}

/**
 * The order_created mail requests orders owe, until the notification-service has them. The request
 * is written with its order (OrderStore.create) and tried at once; a failed try is tried again with
 * backoff by the worker, a refusal a retry cannot change (isPermanentRefusal) or a request owed
 * longer than giveUpAfterMs is given up with a warning. A repeated request is safe: the
 * notification-service keeps one mail per (type, user, order) and answers a repeat with it.
 */
export function createOrderMails(deps: OrderMailDeps): OrderMails {
  const { mails, logger } = deps;
  const leaseMs = deps.sendTimeoutMs + LEASE_MARGIN_MS;
  const background = new Set<Promise<void>>();
  let stopping = false;
  let accepted: string[] = [];
  let flushTimer: NodeJS.Timeout | undefined;

  function markDone(orderId: string) {
    accepted.push(orderId);
    if (flushTimer) return;
    flushTimer = setTimeout(flushDone, DONE_FLUSH_MS);
    flushTimer.unref();
  }

  function flushDone() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const orderIds = accepted;
    accepted = [];
    if (orderIds.length === 0) return;
    try {
      mails.done(orderIds);
    } catch (error) {
      logger.error(
        { err: error, orders: orderIds.length },
        'order_created mails accepted but not marked done; they will be requested again',
      );
    }
  }

  async function attempt(
    mail: Pick<OwedMail, 'order_id' | 'user_id' | 'type' | 'attempts' | 'created_at'>,
    order: Order | undefined,
  ) {
    const body: MailRequest = { user_id: mail.user_id, order_id: mail.order_id, type: mail.type, order };
    const log = {
      order_id: mail.order_id,
      user_id: mail.user_id,
      type: mail.type,
      attempt: mail.attempts + 1,
    };
    const result = await deps.send(body);
    if (result.outcome === 'accepted') {
      markDone(mail.order_id);
      deps.record('sent');
      logger.info({ ...log, notification: result.notification }, `${mail.type} mail requested`);
      return;
    }
    const failure = { ...log, status: result.status, reason: result.reason };
    const now = Date.now();
    if (result.outcome === 'refused' || now - mail.created_at >= deps.giveUpAfterMs) {
      mails.giveUp(mail.order_id, result.reason);
      deps.record('given_up');
      const why =
        result.outcome === 'refused' ? 'refused' : 'still failing at ORDER_MAIL_GIVE_UP_AFTER_HOURS';
      logger.warn(failure, `${mail.type} mail request ${why}; given up`);
      return;
    }
    const delay = backoffDelay(mail.attempts + 1, deps.retry);
    mails.retryLater(mail.order_id, result.reason, now + delay);
    deps.record('retried');
    logger.warn({ ...failure, retry_in_ms: delay }, `${mail.type} mail request failed; will retry`);
  }

  async function runDue() {
    while (!stopping) {
      const now = Date.now();
      const due = mails.due(now, BATCH);
      // Claimed in one commit; a row another process took first is left to it.
      const taken = new Set(
        mails.claim(
          due.map((mail) => mail.order_id),
          now,
          now + leaseMs,
        ),
      );
      const claimed = due.filter((mail) => taken.has(mail.order_id));
      // The worker's tries send the order as stored now; the creator's, the order it just wrote.
      const tryStored = (mail: OwedMail) => attempt(mail, deps.orderOf(mail.order_id));
      await eachAtMost(CONCURRENCY, claimed, tryStored, () => !stopping);
      if (due.length < BATCH) return;
    }
  }

  const loop = createPollingWorker({
    name: 'order-mail-worker',
    intervalMs: deps.intervalMs,
    logger,
    tick: runDue,
  });

  // firstDueAt and kick run in the same tick (the order's transaction is synchronous), so both see
  // the same count: a request is either tried by its creator or due for the worker, never both.
  const saturated = () => background.size >= AT_ONCE_LIMIT;

  return {
    firstDueAt: (now) => (saturated() ? now : now + leaseMs),
    kick(order) {
      if (saturated()) return; // due now: the worker's next look sends it
      const first = { order_id: order.id, user_id: order.user_id, type: 'order_created' as const };
      // A failure to record the outcome leaves the row owed: the worker tries it when the lease ends.
      const work = attempt({ ...first, attempts: 0, created_at: Date.now() }, order).catch((error: unknown) =>
        logger.error({ err: error, order_id: order.id }, 'order_created mail try not recorded'),
      );
      background.add(work);
      void work.finally(() => background.delete(work));
    },
    runDue,
    worker: {
      start() {
        stopping = false;
        loop.start();
      },
      async stop() {
        stopping = true; // a long backlog is left between two tries, not drained first
        await loop.stop();
        while (background.size > 0) await Promise.allSettled([...background]);
        flushDone();
      },
    },
  };
}

/**
 * Runs `work` over `items`, at most `limit` at once, while `goOn()`; the first error is thrown once
 * all lanes ended. An item left out keeps its claim, so it is tried again once its lease ends.
 */
async function eachAtMost<T>(
  limit: number,
  items: T[],
  work: (item: T) => Promise<void>,
  goOn: () => boolean,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (goOn() && next < items.length) await work(items[next++]!);
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
