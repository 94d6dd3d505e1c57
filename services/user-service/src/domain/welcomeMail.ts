import type { Logger } from '@shop/shared';
import type { NotificationClient } from '@shop/shared/clients';

/**
 * Asks the notification-service for the welcome mail, best effort: the caller does not wait, and a
 * failure is only logged. Registration never fails or slows down because mail is down.
 */
export function createWelcomeMail(client: NotificationClient, logger: Logger) {
  return {
    send(userId: string): void {
      client.notify({ user_id: userId, type: 'welcome' }).then(
        (result) => logger.info({ user_id: userId, notification: result.status }, 'welcome mail requested'),
        (error: unknown) => {
          // Only the message: an axios error also carries the request, with its service token.
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ user_id: userId, reason }, 'welcome mail request failed');
        },
      );
    },
  };
}

export type WelcomeMail = ReturnType<typeof createWelcomeMail>;
