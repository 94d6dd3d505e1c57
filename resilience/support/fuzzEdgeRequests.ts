import type { Endpoint } from './fuzzEndpoints.ts';
import { hasBody, tokenFor, type FuzzContext, type FuzzRequest } from './fuzzRequests.ts';
import { deepArray, deepObject } from './fuzzValues.ts';

/** express.json's and express.raw's limit in every service (createServiceApp's default, 64kb). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Fixed requests every body endpoint gets besides the generated ones: 10k-deep JSON, and bodies
 * just under and just over the body limit (the latter must be 413).
 */
export function edgeRequests(endpoint: Endpoint, ctx: FuzzContext): FuzzRequest[] {
  if (!hasBody(endpoint)) return [];
  const target = endpoint.path.replace(/\{(\w+)\}/g, () => ctx.idFor(endpoint.path));
  const token = tokenFor(endpoint, ctx);
  const headers = {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const padded = (bytes: number) => `{"pad":"${'p'.repeat(bytes - '{"pad":""}'.length)}"}`;
  const make = (attack: string, body: string) => ({ attack, method: endpoint.method, target, headers, body });
  return [
    make('10k-deep array', deepArray(10_000)),
    make('10k-deep object', deepObject(10_000)),
    make('body just under the limit', padded(BODY_LIMIT_BYTES - 16)),
    make('body just over the limit', padded(BODY_LIMIT_BYTES + 16)),
  ];
}
