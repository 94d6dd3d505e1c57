import type { RequestInput } from '../contracts/endpoint.ts';
import type { NotificationType, notificationApi } from '../contracts/notification.ts';
import type { Logger } from '../logging/logger.ts';
import { CallError, isPermanentRefusal, type ApiClient } from './apiClient.ts';

/** What a mail request names: the user, the type (always named) and, for a mail about an order, the order. */
export type MailRequest = RequestInput<(typeof notificationApi)['endpoints']['notify']>['body'] & {
  type: NotificationType;
};

/**
 * How one mail request went: `accepted` (any 2xx: the notification-service has the mail, and a
 * repeat answers the same row), `refused` (an answer a retry cannot change, see isPermanentRefusal)
 * or `failed` (no answer, a timeout, a 5xx, 429, 401/403: worth another try).
 */
export type MailOutcome =
  | { outcome: 'accepted'; notification: string }
  | { outcome: 'refused' | 'failed'; status: number | undefined; reason: string };

/**
 * Asks the notification-service for mails. `send` waits and answers the outcome (for a caller that
 * keeps the request until it is accepted); `request` is best effort: the caller does not wait, and a
 * failure is only logged (a lost request means no such mail), so what the user did (registering)
 * never fails or slows down because mail is down. Give it a client with a short timeout and no retries.
 */
export function createMailRequests(
  notifications: Pick<ApiClient<typeof notificationApi>, 'call'>,
  logger: Logger,
) {
  async function send(body: MailRequest): Promise<MailOutcome> {
    try {
      const result = await notifications.call('notify', { body });
      return { outcome: 'accepted', notification: result.status };
    } catch (error) {
      // Only the message: whatever the error, no request (with its service token) reaches the log.
      const reason = error instanceof Error ? error.message : String(error);
      const status = error instanceof CallError ? error.status : undefined;
      return { outcome: isPermanentRefusal(status) ? 'refused' : 'failed', status, reason };
    }
  }

  return {
    send,
    request(body: MailRequest): void {
      void send(body).then((result) => {
        if (result.outcome === 'accepted') {
          logger.info(
            { ...mailLogFields(body), notification: result.notification },
            `${body.type} mail requested`,
          );
        } else {
          logger.warn({ ...mailLogFields(body), reason: result.reason }, `${body.type} mail request failed`);
        }
      });
    },
  };
}

/** What a log line may say about a mail request: never the body as a whole (a verification or reset mail's action carries a link and a code). */
function mailLogFields(body: MailRequest) {
  return { user_id: body.user_id, order_id: body.order_id, reference: body.reference, type: body.type };
}

export type MailRequests = ReturnType<typeof createMailRequests>;
