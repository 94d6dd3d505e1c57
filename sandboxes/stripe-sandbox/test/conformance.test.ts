import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { RunningStripeSandbox } from '../src/index.ts';
import { caught, control, withSandbox } from './helpers.ts';

/** Stripe's component schemas (openapi/README.md says which version and how they were trimmed). */
const document = JSON.parse(
  readFileSync(new URL('../openapi/stripe-components.json', import.meta.url), 'utf8'),
) as { components: { schemas: Record<string, Record<string, unknown>> } };
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(document, 'stripe');

type Kind = 'payment_intent' | 'refund' | 'charge' | 'event' | 'error' | 'payment_method';

/** Nullable but only sent when asked for: a charge's refunds list is not included since 2022-11-15. */
const INCLUDABLE: Partial<Record<Kind, string[]>> = { charge: ['refunds'] };

/**
 * What Stripe's schema says is never missing: the required properties, and the nullable ones
 * (Stripe sends those as null when empty; a property neither required nor nullable may be absent).
 */
function alwaysPresent(kind: Kind): string[] {
  const schema = document.components.schemas[kind]!;
  const properties = (schema.properties ?? {}) as Record<string, { anyOf?: { type?: string }[] }>;
  const nullable = Object.entries(properties)
    .filter(([, property]) => property.anyOf?.some((option) => option.type === 'null'))
    .map(([name]) => name);
  const named = [...((schema.required as string[] | undefined) ?? []), ...nullable];
  return [...new Set(named)].filter((name) => !INCLUDABLE[kind]?.includes(name));
}

/** Every object the sandbox answered, as the wire carried it, with the schema it must follow. */
class Answers {
  readonly seen: { kind: Kind; body: unknown; via: string }[] = [];

  add(kind: Kind, via: string, object: unknown): void {
    this.seen.push({ kind, via, body: JSON.parse(JSON.stringify(object)) });
  }

  /** Events carry the object they are about: a PaymentIntent, a Charge or a Refund. */
  addEvents(sandbox: RunningStripeSandbox): void {
    for (const { event } of sandbox.state.events) {
      this.add('event', event.type, event);
      const kind = event.type.startsWith('payment_intent.')
        ? 'payment_intent'
        : event.type.startsWith('refund.') || event.type === 'charge.refund.updated'
          ? 'refund'
          : 'charge';
      this.add(kind, `${event.type} data.object`, event.data.object);
    }
  }

  problems(): string[] {
    return this.seen.flatMap(({ kind, body, via }) => {
      const validate = ajv.getSchema(`stripe#/components/schemas/${kind}`)!;
      const found = validate(body)
        ? []
        : (validate.errors ?? []).map((e) => `${via}: ${kind}${e.instancePath} ${e.message}`);
      if (kind === 'error') return found;
      const missing = alwaysPresent(kind).filter((name) => !(name in (body as object)));
      return [...found, ...missing.map((name) => `${via}: ${kind} lacks always-present ${name}`)];
    });
  }
}

/** An error exactly as Stripe's wire carries it (the SDK folds its fields into the exception). */
async function rawError(sandbox: RunningStripeSandbox, path: string, form: Record<string, string>) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_sandbox', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  expect(response.status).toBeGreaterThanOrEqual(400);
  return response.json();
}

/** The create the payment-service sends (services/payment-service/src/domain/stripeIntents.ts). */
const serviceCreate = {
  amount: 3998,
  currency: 'usd',
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const },
  description: 'Order o-1',
  metadata: { order_id: 'o-1', user_id: 'u-1', payment_id: 'p-1' },
};

describe("the sandbox's answers against Stripe's OpenAPI schemas", () => {
  it('when the payment-service calls pay, decline, 3DS, search, cancel and refund (settled and pending), every object and event conforms', () =>
    withSandbox(async (sandbox, stripe) => {
      const answers = new Answers();
      const created = await stripe.paymentIntents.create(serviceCreate, { idempotencyKey: 'pi-create-o-1' });
      answers.add('payment_intent', 'create', created);
      const declined = await caught(
        stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_chargeDeclined' }),
      );
      answers.add('payment_intent', 'card error payment_intent', declined.payment_intent);
      answers.add(
        'error',
        'card error body',
        await rawError(sandbox, `/v1/payment_intents/${created.id}/confirm`, {
          payment_method: 'pm_card_chargeDeclinedExpiredCard',
        }),
      );
      answers.add(
        'error',
        'invalid request body',
        await rawError(sandbox, '/v1/payment_intents', { amount: '1' }),
      );
      const paid = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
      answers.add('payment_intent', 'confirm', paid);
      answers.add('payment_intent', 'retrieve', await stripe.paymentIntents.retrieve(created.id));
      const found = await stripe.paymentIntents.search({ query: "metadata['payment_id']:'p-1'" });
      for (const intent of found.data) answers.add('payment_intent', 'search', intent);

      const secure = await stripe.paymentIntents.create({
        ...serviceCreate,
        metadata: { payment_id: 'p-2' },
      });
      answers.add(
        'payment_intent',
        'confirm 3DS',
        await stripe.paymentIntents.confirm(secure.id, { payment_method: 'pm_card_authenticationRequired' }),
      );
      answers.add('payment_intent', 'cancel', await stripe.paymentIntents.cancel(secure.id));

      answers.add(
        'refund',
        'refund create',
        await stripe.refunds.create({
          payment_intent: paid.id,
          amount: 1000,
          metadata: { payment_id: 'p-1' },
        }),
      );
      await control(sandbox, 'POST', '/_sandbox/refunds/hold', { count: 1 });
      const pending = await stripe.refunds.create({
        payment_intent: paid.id,
        metadata: { payment_id: 'p-1' },
      });
      answers.add('refund', 'pending refund', pending);
      const failed = await control(sandbox, 'POST', `/_sandbox/refunds/${pending.id}`, { status: 'failed' });
      answers.add('refund', 'failed refund', failed.body);
      for (const refund of (await stripe.refunds.list({ payment_intent: paid.id })).data) {
        answers.add('refund', 'refund list', refund);
      }
      answers.add('charge', 'charge retrieve', await stripe.charges.retrieve(paid.latest_charge as string));
      answers.add('payment_method', 'payment method', await stripe.paymentMethods.retrieve('pm_card_visa'));
      answers.addEvents(sandbox);

      expect(answers.seen.length).toBeGreaterThan(20);
      expect(answers.problems()).toEqual([]);
    }));
});
