import { Order, type OrderStatus } from '../contracts/order.ts';
import { createHttpClient, type HttpClientOptions } from '../client/createHttpClient.ts';

/** What other services may ask the order-service, with a service token. */
export function createOrderClient(options: Omit<HttpClientOptions, 'target'>) {
  const http = createHttpClient({ ...options, target: 'order-service' });
  return {
    async getOrder(orderId: string) {
      const { data } = await http.get(`/api/order/${encodeURIComponent(orderId)}`);
      return Order.parse(data);
    },
    /** PATCH is idempotent here (repeating the move already made is a 200 no-op), so it is retried. */
    async setStatus(orderId: string, status: OrderStatus) {
      const { data } = await http.patch(
        `/api/order/${encodeURIComponent(orderId)}`,
        { status },
        {
          'axios-retry': {
            retries: options.retries ?? 2,
            retryCondition: (e) => !e.response || e.response.status >= 500,
          },
        },
      );
      return Order.parse(data);
    },
  };
}
export type OrderClient = ReturnType<typeof createOrderClient>;
