import { NotifyResult } from '../contracts/notification.ts';
import { createHttpClient, type HttpClientOptions } from '../client/createHttpClient.ts';

/** Asks the notification-service to send a mail. It dedupes per (type, user, order), so retrying is safe. */
export function createNotificationClient(options: Omit<HttpClientOptions, 'target'>) {
  const http = createHttpClient({ ...options, target: 'notification-service' });
  return {
    async notify(input: { user_id: string; order_id?: string; type?: 'order_paid' | 'welcome' }) {
      const { data } = await http.post('/api/notify', input, {
        'axios-retry': {
          retries: options.retries ?? 2,
          retryCondition: (e) => !e.response || e.response.status >= 500,
        },
      });
      return NotifyResult.parse(data);
    },
  };
}
export type NotificationClient = ReturnType<typeof createNotificationClient>;
