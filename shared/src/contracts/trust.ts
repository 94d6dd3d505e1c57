import { SERVICE_NAMES, type Access, type Api, type ServiceName } from './endpoint.ts';
import { notificationApi } from './notification.ts';
import { orderApi } from './order.ts';
import { paymentApi } from './payment.ts';
import { userApi } from './user.ts';

/** Each shop service's API, by the name of the service that serves it. */
export const SHOP_APIS = {
  'user-service': userApi,
  'order-service': orderApi,
  'payment-service': paymentApi,
  'notification-service': notificationApi,
} as const satisfies Record<ServiceName, Api>;

/**
 * The services named in the `access.services` of any of the API's endpoints: the only services whose
 * public keys its service loads, so a token of any other service is not even verifiable there.
 */
export function callersOf(api: Api): ServiceName[] {
  const named = new Set<ServiceName>();
  for (const endpoint of Object.values(api.endpoints)) {
    if (endpoint.access !== 'public') for (const name of endpoint.access.services ?? []) named.add(name);
  }
  return SERVICE_NAMES.filter((name) => named.has(name));
}

/**
 * What a valid token of `caller` gets on an endpoint of `api` with this `access`: `allowed`,
 * `forbidden` (403: its key is loaded there, but the endpoint does not name it) or `unknown` (401:
 * the service loads no key of the caller, since none of its endpoints names the caller).
 */
export function serviceAccess(
  caller: ServiceName,
  api: Api,
  access: Access,
): 'allowed' | 'forbidden' | 'unknown' {
  if (access !== 'public' && access.services?.includes(caller)) return 'allowed';
  return callersOf(api).includes(caller) ? 'forbidden' : 'unknown';
}
