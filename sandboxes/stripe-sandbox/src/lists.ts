import { invalidRequest, noSuchResource } from './errors.ts';
import type { Params } from './params.ts';

interface Listable {
  id: string;
  created: number;
}

/** Stripe's list envelope with cursor pagination (limit 1..100, starting_after / ending_before). */
export function listObjects<T extends Listable>(
  items: Iterable<T>,
  params: Params,
  url: string,
  kind: string,
) {
  const limitText = params.limit === undefined ? '10' : String(params.limit);
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
    throw invalidRequest('This value must be between 1 and 100.', 'parameter_invalid_integer', 'limit');
  }
  // Newest first; insertion order breaks ties within the same second.
  const all = [...items].reverse();
  let start = 0;
  let end = all.length;
  const after = typeof params.starting_after === 'string' ? params.starting_after : undefined;
  const before = typeof params.ending_before === 'string' ? params.ending_before : undefined;
  if (after !== undefined) {
    const index = all.findIndex((item) => item.id === after);
    if (index < 0) throw noSuchResource(kind, after, 'starting_after', 400);
    start = index + 1;
  } else if (before !== undefined) {
    const index = all.findIndex((item) => item.id === before);
    if (index < 0) throw noSuchResource(kind, before, 'ending_before', 400);
    end = index;
    start = Math.max(0, end - limit);
  }
  const data = all.slice(start, Math.min(end, start + limit));
  const hasMore = before !== undefined ? start > 0 : start + limit < end;
  return { object: 'list' as const, data, has_more: hasMore, url };
}
