import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/processes.ts';
import { buildOpenApi } from '@shop/shared';
import { notificationApi, orderApi, paymentApi, userApi } from '@shop/shared/contracts';

type Item = { name: string; item?: Item[]; request?: { method: string; url: string | { raw: string } } };

/** Each service's OpenAPI document and the environment variable holding its base URL. */
const services = [
  { name: 'user-service', urlVariable: 'user_url', document: buildOpenApi(userApi) },
  { name: 'order-service', urlVariable: 'order_url', document: buildOpenApi(orderApi) },
  { name: 'payment-service', urlVariable: 'payment_url', document: buildOpenApi(paymentApi) },
  { name: 'notification-service', urlVariable: 'notification_url', document: buildOpenApi(notificationApi) },
];

const collection = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'postman/shop.postman_collection.json'), 'utf8'),
) as { item: Item[] };

/** Every request of the collection as (method, base URL variable, path segments). */
function requestsOf(items: Item[]): { method: string; base: string; segments: string[] }[] {
  return items.flatMap((item) => {
    if (item.item) return requestsOf(item.item);
    if (!item.request) return [];
    const raw = typeof item.request.url === 'string' ? item.request.url : item.request.url.raw;
    const match = /^\{\{(\w+)\}\}([^?#]*)/.exec(raw);
    if (!match) throw new Error(`"${item.name}" does not start with a {{..._url}} variable: ${raw}`);
    return [
      {
        method: item.request.method.toUpperCase(),
        base: match[1]!,
        segments: match[2]!.split('/').filter(Boolean),
      },
    ];
  });
}

/** `{id}` in a documented path matches a `{{variable}}` segment; everything else must be equal. */
const matches = (documented: string[], requested: string[]) =>
  documented.length === requested.length &&
  documented.every((segment, i) =>
    /^\{\w+\}$/.test(segment) ? /^\{\{\w+\}\}$/.test(requested[i]!) : segment === requested[i],
  );

const requests = requestsOf(collection.item);

describe('the Postman collection covers the documented API', () => {
  it('has requests at all', () => {
    expect(requests.length).toBeGreaterThan(0);
  });

  for (const service of services) {
    const operations = Object.entries(service.document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );

    it(`requests every documented endpoint of the ${service.name}`, () => {
      expect(operations.length).toBeGreaterThan(0);
      const missing = operations.filter(
        ({ method, path }) =>
          !requests.some(
            (r) =>
              r.base === service.urlVariable &&
              r.method === method &&
              matches(path.split('/').filter(Boolean), r.segments),
          ),
      );
      expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    });
  }
});
