import type { NotificationKind, NotificationType, Order } from '@shop/shared/contracts';

/** How the shop treats each type of mail. */
export interface MailKind {
  /** The preference that mutes it; null for a mail that always goes out (a security mail). */
  preference: NotificationKind | null;
  /**
   * What happens over the recipient's hourly cap: `defer` (a mail that must not be lost waits in
   * the queue until the cap allows it) or `skip` (recorded as skipped; the user can ask again).
   */
  overCap: 'defer' | 'skip';
  /** The order states it may be sent in (receipts only for paid orders, ...); none = any. */
  needs?: { states: Order['status'][]; code: string };
}

export const MAIL_KINDS: Record<NotificationType, MailKind> = {
  order_created: { preference: 'order_updates', overCap: 'defer' },
  order_paid: {
    preference: 'order_updates',
    overCap: 'defer',
    needs: { states: ['Paid'], code: 'order_not_paid' },
  },
  // Also for an order that stays Cancelled: it was cancelled during its charge and the charge was
  // refunded automatically.
  order_refunded: {
    preference: 'order_updates',
    overCap: 'defer',
    needs: { states: ['Refunded', 'Cancelled'], code: 'order_not_refunded' },
  },
  // Anyone can register any address: over the cap, welcome mails are what a flood is made of.
  welcome: { preference: 'welcome', overCap: 'skip' },
  // Security mails are never muted. Anyone can ask for a verification or reset mail to an address:
  // over the cap they are skipped (the user can ask again); the notices of a change are kept.
  email_verification: { preference: null, overCap: 'skip' },
  password_reset: { preference: null, overCap: 'skip' },
  password_changed: { preference: null, overCap: 'defer' },
  email_changed: { preference: null, overCap: 'defer' },
};
