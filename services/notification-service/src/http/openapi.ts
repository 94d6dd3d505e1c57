import { buildOpenApi, type Operation } from '@shop/shared';
import {
  IdParams,
  ListNotificationsQuery,
  Notification,
  NotificationList,
  NotifyBody,
  NotifyResult,
} from '@shop/shared/contracts';

/** Every endpoint of the notification-service, documented from the schemas the routes validate with. */
export const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/notify',
    summary: 'Send a notification mail (services only)',
    description:
      'At most one mail per (type, user, order): a repeated call answers the first result. A muted kind is recorded as `skipped`. `sent` only when Gmail accepted the mail; otherwise `queued` and retried.',
    access: 'service',
    body: NotifyBody,
    responses: {
      200: {
        description: '`sent`, `skipped` (or the first result of a repeated call).',
        schema: NotifyResult,
      },
      202: { description: '`queued`: Gmail failed; the worker retries with backoff.', schema: NotifyResult },
      404: { description: '`user_not_found` or `order_not_found`.' },
      409: { description: '`order_not_paid`: a receipt for an order that is not Paid.' },
      503: { description: 'The user- or order-service is unreachable; nothing was recorded.' },
    },
  },
  {
    method: 'get',
    path: '/api/notifications',
    summary: 'Notification history, newest first',
    description: 'A service sees all (filterable); a user sees only their own.',
    access: 'user or service',
    query: ListNotificationsQuery,
    responses: {
      200: { description: 'The notifications.', schema: NotificationList },
      403: { description: "A user asked for another user's notifications." },
    },
  },
  {
    method: 'get',
    path: '/api/notifications/:id',
    summary: 'One notification (its user or a service)',
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'The notification.', schema: Notification },
      404: { description: '`notification_not_found` (also for one of another user).' },
    },
  },
];

export const openApiDocument = buildOpenApi(
  {
    title: 'notification-service',
    description: 'Emails users through the Gmail API: receipts and welcome mails, each at most once.',
    version: '1.0.0',
    serverUrl: '/',
  },
  operations,
);
