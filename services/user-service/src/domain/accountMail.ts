import type { Logger } from '@shop/shared';
import type { ApiClient } from '@shop/shared/clients';
import type { notificationApi, NotificationType } from '@shop/shared/contracts';

export interface MailRequest {
  user_id: string;
  type: NotificationType;
  reference?: string;
  action?: { url: string; code?: string };
  address?: string;
}

/**
 * The mails an account asks the notification-service for, best effort: the caller does not wait,
 * and a failure is only logged. No account change fails or slows down because mail is down (a
 * user who got no verification mail asks for another one).
 */
export function createAccountMail(notifications: ApiClient<typeof notificationApi>, logger: Logger) {
  // Only the type, ids and message: never the request (its action carries a link and a code, and
  // the call carries a service token).
  const failed = (what: Record<string, unknown>) => (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ ...what, reason }, 'mail request failed');
  };
  return {
    send(mail: MailRequest): void {
      const what = { user_id: mail.user_id, type: mail.type, reference: mail.reference };
      notifications
        .call('notify', { body: mail })
        .then(
          (result) => logger.info({ ...what, notification: result.status }, 'mail requested'),
          failed(what),
        );
    },
    /** Tells the notification-service to send the mails it held for this user's unverified address. */
    addressVerified(userId: string): void {
      notifications
        .call('addressVerified', { body: { user_id: userId } })
        .then(
          (result) => logger.info({ user_id: userId, released: result.released }, 'held mails released'),
          failed({ user_id: userId, type: 'address_verified' }),
        );
    },
  };
}

export type AccountMail = ReturnType<typeof createAccountMail>;
