import { newId, nowSeconds } from './ids.ts';
import { sleep } from './faults.ts';
import { signatureHeader } from './webhook-signature.ts';
import { SANDBOX_API_VERSION, type EventRecord, type SandboxState, type StripeEvent } from './state.ts';

export interface WebhookOptions {
  url?: string | undefined;
  secret: string;
  /** Wait before each retry; the number of entries bounds the retries. */
  retryDelaysMs: number[];
  attemptTimeoutMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 60_000, 300_000];

/**
 * Records events and POSTs them, signed, to the configured endpoint. Events of one thread (one
 * payment intent and its charges) are delivered strictly in order: the next waits until the previous
 * one was accepted or gave up.
 */
export class WebhookDispatcher {
  private url: string | null;
  private readonly queues = new Map<string, Promise<void>>();
  private lifetime = new AbortController();

  constructor(
    private readonly state: SandboxState,
    private readonly options: WebhookOptions,
  ) {
    this.url = options.url ?? null;
  }

  get endpoint(): string | null {
    return this.url;
  }

  setUrl(url: string | null): void {
    this.url = url;
  }

  record(type: string, object: unknown, thread: string, request: StripeEvent['request']): StripeEvent {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: SANDBOX_API_VERSION,
      created: nowSeconds(),
      data: { object },
      livemode: false,
      pending_webhooks: this.url ? 1 : 0,
      request,
      type,
    };
    const record: EventRecord = {
      event,
      delivery: { url: this.url, state: this.url ? 'pending' : 'no_endpoint', attempts: [] },
    };
    this.state.events.push(record);
    if (record.delivery.url) this.enqueue(thread, record);
    return event;
  }

  /** Stops every delivery in progress (reset or shutdown); later events deliver normally. */
  abortAll(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    this.queues.clear();
  }

  private enqueue(thread: string, record: EventRecord): void {
    const signal = this.lifetime.signal;
    const previous = this.queues.get(thread) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(record, signal));
    this.queues.set(thread, next);
    void next.then(() => {
      if (this.queues.get(thread) === next) this.queues.delete(thread);
    });
  }

  private async deliver(record: EventRecord, signal: AbortSignal): Promise<void> {
    const url = record.delivery.url!;
    const payload = JSON.stringify(record.event, null, 2);
    const delays = this.options.retryDelaysMs;
    for (let attempt = 0; attempt <= delays.length && !signal.aborted; attempt += 1) {
      if (attempt > 0) await sleep(delays[attempt - 1]!, signal);
      if (signal.aborted) break;
      const outcome = await this.post(url, payload, signal);
      record.delivery.attempts.push({ at: nowSeconds(), ...outcome });
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
        record.delivery.state = 'delivered';
        record.event.pending_webhooks = 0;
        return;
      }
    }
    record.delivery.state = 'failed';
  }

  private async post(
    url: string,
    payload: string,
    signal: AbortSignal,
  ): Promise<{ status?: number; error?: string }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          // Signed per attempt, like Stripe: a retry carries a fresh timestamp.
          'stripe-signature': signatureHeader(payload, this.options.secret),
        },
        body: payload,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.attemptTimeoutMs ?? 10_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
