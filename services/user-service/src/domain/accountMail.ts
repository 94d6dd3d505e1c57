import { createMailRequests, type ApiClient, type MailRequest } from '@shop/shared/clients';
import type { Logger } from '@shop/shared';
import type { notificationApi } from '@shop/shared/contracts';

/**
 * The mails an account asks the notification-service for, best effort (the shared mail requests):
 * the caller does not wait, and a failure is only logged. No account change fails or slows down
 * because mail is down (a user who got no verification mail asks for another one).
 */
export function createAccountMail(notifications: ApiClient<typeof notificationApi>, logger: Logger) {
  const requests = createMailRequests(notifications, logger);
  return {
    send: (mail: MailRequest): void => requests.request(mail),
    /** Tells the notification-service to send the mails it held for this user's unverified address. */
    addressVerified(userId: string): void {
      notifications.call('addressVerified', { body: { user_id: userId } }).then(
        (result) => logger.info({ user_id: userId, released: result.released }, 'held mails released'),
        (error: unknown) => {
          // Only the message: no request (with its service token) reaches the log.
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ user_id: userId, reason }, 'held mails release request failed');
        },
      );
    },
  };
}

export type AccountMail = ReturnType<typeof createAccountMail>;
