import type { Logger } from '@shop/shared';
import type { ApiClient } from '@shop/shared/clients';
import type { notificationApi } from '@shop/shared/contracts';

/**
 * Asks the notification-service for the welcome mail, best effort: the caller does not wait, and a
 * failure is only logged. Registration never fails or slows down because mail is down.
 */
export function createWelcomeMail(notifications: ApiClient<typeof notificationApi>, logger: Logger) {
  return {
    send(userId: string): void {
      notifications.call('notify', { body: { user_id: userId, type: 'welcome' } }).then(
        (result) => logger.info({ user_id: userId, notification: result.status }, 'welcome mail requested'),
        (error: unknown) => {
          // Only the message: whatever the error, no request (with its service token) reaches the log.
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ user_id: userId, reason }, 'welcome mail request failed');
        },
      );
    },
  };
}

export type WelcomeMail = ReturnType<typeof createWelcomeMail>;
