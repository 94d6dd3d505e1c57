import type { RequestInput } from '../contracts/endpoint.ts';
import type { NotificationType, notificationApi } from '../contracts/notification.ts';
import type { Logger } from '../logging/logger.ts';
import type { ApiClient } from './apiClient.ts';

/** What a mail request names: the user, the type (always named) and, for a mail about an order, the order. */
export type MailRequest = RequestInput<(typeof notificationApi)['endpoints']['notify']>['body'] & {
  type: NotificationType;
};

/**
 * Asks the notification-service for a mail, best effort: the caller does not wait, and a failure is
 * only logged (a lost request means no such mail). What the user did (registering, ordering) never
 * fails or slows down because mail is down. Give it a client with a short timeout and no retries.
 */
export function createMailRequests(
  notifications: Pick<ApiClient<typeof notificationApi>, 'call'>,
  logger: Logger,
) {
  return {
    request(body: MailRequest): void {
      // Never the body as a whole: a verification or reset mail's action carries a link and a code.
      const about = {
        user_id: body.user_id,
        order_id: body.order_id,
        reference: body.reference,
        type: body.type,
      };
      notifications.call('notify', { body }).then(
        (result) => logger.info({ ...about, notification: result.status }, `${body.type} mail requested`),
        (error: unknown) => {
          // Only the message: whatever the error, no request (with its service token) reaches the log.
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ ...about, reason }, `${body.type} mail request failed`);
        },
      );
    },
  };
}

export type MailRequests = ReturnType<typeof createMailRequests>;
