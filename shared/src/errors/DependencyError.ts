/**
 * Something this service depends on (its store, another service, Stripe, Gmail) could not do its
 * part. Domain and data code throw it instead of an HTTP error; the HTTP edge answers 503 when the
 * dependency is unavailable (try again later) and 502 when it answered something unusable.
 */
export class DependencyError extends Error {
  override name = 'DependencyError';
  constructor(
    /** The problem `code` the client sees, e.g. `order_service_unavailable`. */
    readonly code: string,
    /** What the client is told. */
    message: string,
    readonly kind: 'unavailable' | 'failed' = 'unavailable',
  ) {
    super(message);
  }
}
