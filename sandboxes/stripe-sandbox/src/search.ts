import { invalidRequest } from './errors.ts';
import { requiredString, type Params } from './params.ts';
import type { PaymentIntent } from './state.ts';

/** One `field:'value'` clause of Stripe's search query language: metadata['key'] or status. */
const CLAUSE = /^(?:metadata\['([^']+)'\]|(status)):'([^']*)'$/;

/**
 * GET /v1/payment_intents/search with the part of Stripe's query language used here: clauses
 * `metadata['key']:'value'` and `status:'value'` joined by AND. Stripe's index lags (usually under a
 * minute); the sandbox's does not.
 */
export function searchIntents(intents: Iterable<PaymentIntent>, params: Params) {
  const query = requiredString(params, 'query');
  const clauses = query.split(/\s+AND\s+/).map((text) => {
    const match = CLAUSE.exec(text.trim());
    if (!match)
      throw invalidRequest(`The sandbox cannot parse this search query: ${text}`, undefined, 'query');
    return { key: match[1], status: match[2] !== undefined, value: match[3]! };
  });
  const data = [...intents]
    .filter((intent) =>
      clauses.every((c) => (c.status ? intent.status === c.value : intent.metadata[c.key!] === c.value)),
    )
    .reverse()
    .slice(0, 100);
  return {
    object: 'search_result' as const,
    data,
    has_more: false,
    next_page: null,
    url: '/v1/payment_intents/search',
  };
}
