import { StripeApiError, invalidRequest } from './errors.ts';

/** A response exactly as first sent, replayed byte for byte. */
export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Request {
  endpoint: string; // "POST /v1/payment_intents"
  params: string; // canonical JSON of the parsed body
}

type Entry = Request & { savedAt: number } & ({ saved: SavedResponse } | { saved: null });

export type Begin =
  | { kind: 'execute'; finish: (response: SavedResponse | null) => void }
  | { kind: 'replay'; response: SavedResponse };

const TTL_MS = 24 * 60 * 60 * 1000; // Stripe prunes keys after 24 hours
const MAX_KEYS = 50_000;
const MAX_KEY_LENGTH = 255;

/** JSON with sorted object keys, so the same parameters in another order compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function idempotencyError(status: number, message: string, code?: string): StripeApiError {
  return new StripeApiError(status, { type: 'idempotency_error', message, ...(code ? { code } : {}) });
}

/**
 * Stripe's v1 idempotency: the first response of a key (once the endpoint started executing) is
 * saved and replayed; reuse with another endpoint or other parameters is an error; a key whose
 * first request is still running answers 409 so the client retries later.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  begin(scope: string, key: string, request: Request): Begin {
    if (key.length > MAX_KEY_LENGTH) {
      throw invalidRequest(`Idempotency keys can be at most ${MAX_KEY_LENGTH} characters long.`);
    }
    this.prune();
    const id = `${scope}\n${key}`;
    const entry = this.entries.get(id);
    if (entry) {
      if (entry.endpoint !== request.endpoint) {
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
            `('${entry.endpoint}' vs '${request.endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (entry.params !== request.params) {
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
            `Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (entry.saved === null) {
        throw idempotencyError(
          409,
          'There is currently another in-progress request using this Idempotent Key (that probably means you ' +
            'submitted twice, and the other request is still going through): ' +
            `${key}. Please try again later.`,
          'idempotency_key_in_use',
        );
      }
      return { kind: 'replay', response: entry.saved };
    }
    const fresh: Entry = { ...request, savedAt: Date.now(), saved: null };
    this.entries.set(id, fresh);
    return {
      kind: 'execute',
      // null = nothing to save (validation failed or the request never ran): the key is free again.
      finish: (response) => {
        if (response === null) this.entries.delete(id);
        else this.entries.set(id, { ...request, savedAt: Date.now(), saved: response });
      },
    };
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(): void {
    const cutoff = Date.now() - TTL_MS;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= MAX_KEYS && entry.savedAt >= cutoff) break;
      if (entry.saved !== null) this.entries.delete(id);
    }
  }
}
