/**
 * The mutation-testing targets: which source files are mutated, which vitest projects (their
 * folders) run against the mutants, and the score each must reach (killed of covered, in percent).
 * Mutants that cannot change behaviour are listed in `equivalent` with the reason (see
 * docs/testing.md); they are left out of the score and printed with it.
 */
export type Equivalent = {
  /** Path of the mutated file, relative to the repository root. */
  file: string;
  /** Stryker's mutator name, e.g. 'ConditionalExpression'. */
  mutator: string;
  /** Text on the source line where the mutant starts (lines shift; the text does not). */
  near: string;
  /** The replacement Stryker made, exactly as reported. */
  replacement: string;
  reason: string;
};

export type Target = {
  name: string;
  description: string;
  mutate: string[];
  projects: string[];
  threshold: number;
  equivalent?: Equivalent[];
};

/** The edge targets' mutants that cannot change an answer, by service. */
const edgeEquivalent: Record<'user' | 'order' | 'payment' | 'notification', Equivalent[]> = {
  user: [
    {
      file: 'services/user-service/src/http/routes.ts',
      mutator: 'ConditionalExpression',
      near: 'if (caller.sessionId) await sessions.end(caller.sessionId);',
      replacement: 'true',
      reason:
        'ending "no session" ends none: the store matches no row for an absent id (tested: 204, sessions kept)',
    },
    {
      file: 'shared/src/contracts/user.ts',
      mutator: 'StringLiteral',
      near: "'must be at most 72 bytes'",
      replacement: '""',
      reason:
        "accepted: killed when applied by hand (register.test.ts's 72-byte case fails); the message is read once, when the contract module loads, before Stryker activates the mutant",
    },
    {
      file: 'shared/src/contracts/user.ts',
      mutator: 'Regex',
      near: '/[^\\p{L}]/u.test(p)',
      replacement: '/\\P{L}/u',
      reason:
        'the same set of characters: [^\\p{L}] and \\P{L} both match any character that is not a letter',
    },
  ],
  order: [
    {
      file: 'services/order-service/src/http/pricingRules.ts',
      mutator: 'StringLiteral',
      near: "ctx.addIssue({ code: 'custom',",
      replacement: '""',
      reason: "the problem's field list shows an issue's path and message; only other zod codes are read",
    },
  ],
  payment: [],
  notification: [
    {
      file: 'shared/src/contracts/notification.ts',
      mutator: 'StringLiteral',
      near: "ctx.addIssue({ code: 'custom', message, path: ['order_id'] });",
      replacement: '""',
      reason: "the problem's field list shows an issue's path and message; only other zod codes are read",
    },
    ...['BlockStatement', 'ObjectLiteral'].map((mutator) => ({
      file: 'services/notification-service/src/http/routes.ts',
      mutator,
      near: mutator === 'BlockStatement' ? 'export function notificationRoutes(' : 'return {',
      replacement: '{}',
      reason:
        'accepted: killed when applied by hand (no handlers: building the app fails and every test errors); Stryker reports it survived because it activates a mutant per test, after the files that cover it built the app in beforeAll',
    })),
  ],
};

export const targets: Target[] = [
  {
    name: 'shared-core',
    description: 'shared money and service-token auth',
    mutate: ['shared/src/money.ts', 'shared/src/auth/tokens.ts', 'shared/src/auth/serviceKeys.ts'],
    projects: ['shared'],
    threshold: 90,
    equivalent: [
      {
        file: 'shared/src/money.ts',
        mutator: 'StringLiteral',
        near: "Number.isFinite(price) ? String(price) : ''",
        replacement: '"Stryker was here!"',
        reason: 'any text that is not a decimal number is refused by the same regex',
      },
      ...['true', 'moneyFormats.size <= 64'].map((replacement) => ({
        file: 'shared/src/money.ts',
        mutator: replacement === 'true' ? 'ConditionalExpression' : 'EqualityOperator',
        near: 'if (moneyFormats.size < 64)',
        replacement,
        reason: 'accepted: the cap only bounds the memory of the format cache; no answer changes',
      })),
      {
        file: 'shared/src/auth/tokens.ts',
        mutator: 'ConditionalExpression',
        near: "if (decoded.header.alg !== 'ES256')",
        replacement: 'false',
        reason: "defence in depth: jwt.verify with algorithms ['ES256'] refuses the same tokens",
      },
      {
        file: 'shared/src/auth/tokens.ts',
        mutator: 'ConditionalExpression',
        near: 'if (!key) return undefined;',
        replacement: 'false',
        reason: 'without a key, parsing undefined throws, which is answered with the same invalid_token',
      },
      ...[
        ['ConditionalExpression', 'true'],
        ['ConditionalExpression', 'false'],
        ['EqualityOperator', 'parsedKeys.size > 32'],
        ['EqualityOperator', 'parsedKeys.size < 32'],
      ].map(([mutator, replacement]) => ({
        file: 'shared/src/auth/tokens.ts',
        mutator: mutator!,
        near: 'if (parsedKeys.size >= 32) parsedKeys.clear();',
        replacement: replacement!,
        reason: 'accepted: the bound of the parsed-key cache changes memory and speed, never a verdict',
      })),
      {
        file: 'shared/src/auth/tokens.ts',
        mutator: 'StringLiteral',
        near: "keyObject(signingKey, 'private')",
        replacement: '""',
        reason: "keyObject parses any kind but 'public' as a private key",
      },
      {
        file: 'shared/src/auth/tokens.ts',
        mutator: 'StringLiteral',
        near: "let token = '';",
        replacement: '"Stryker was here!"',
        reason:
          'the first call always mints a token (renewAt starts at 0), so the initial value is never given out',
      },
      {
        file: 'shared/src/auth/serviceKeys.ts',
        mutator: 'OptionalChaining',
        near: 'key.asymmetricKeyDetails?.namedCurve',
        replacement: 'key.asymmetricKeyDetails.namedCurve',
        reason: 'every key Node parses from a PEM has asymmetricKeyDetails',
      },
      {
        file: 'shared/src/auth/serviceKeys.ts',
        mutator: 'ConditionalExpression',
        near: "if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1')",
        replacement: 'false',
        reason: 'a key that is not EC has no named curve, so the curve check refuses it with the same line',
      },
    ],
  },
  {
    name: 'shared-client',
    description: 'the shared HTTP client between the services: retries, timeouts, answers, typed calls',
    mutate: ['shared/src/clients/httpClient.ts', 'shared/src/clients/apiClient.ts'],
    projects: ['shared'],
    threshold: 90,
    equivalent: [
      ...['""', '() => undefined'].map((replacement) => ({
        file: 'shared/src/clients/httpClient.ts',
        mutator: replacement === '""' ? 'StringLiteral' : 'ArrowFunction',
        near: "req.once('close', () => clearTimeout(timer));",
        replacement,
        reason:
          'a timer left running fires on a finished request, whose socket is back in the pool and untouched (tested: the next call after the timeout reuses the connection); it only holds its closure until then',
      })),
      {
        file: 'shared/src/clients/apiClient.ts',
        mutator: 'ConditionalExpression',
        near: 'return status !== undefined && PERMANENT_REFUSALS.has(status);',
        replacement: 'true',
        reason: 'the set has no undefined, so has(undefined) is false too; the check narrows the type',
      },
    ],
  },
  {
    name: 'order-domain',
    description: 'order-service domain (status machine, pricing, orders)',
    mutate: ['services/order-service/src/domain/**/*.ts'],
    projects: ['services/order-service'],
    threshold: 90,
    equivalent: [
      {
        file: 'services/order-service/src/domain/orders.ts',
        mutator: 'ConditionalExpression',
        near: 'if (!pricing.ok) throw validationFailed(',
        replacement: 'false',
        reason:
          'defence in depth: the HTTP edge (http/pricingRules.ts) refuses the same body first with the same 400',
      },
      {
        file: 'services/order-service/src/domain/orders.ts',
        mutator: 'ConditionalExpression',
        near: 'if (from) {',
        replacement: 'true',
        reason: 'with no source status the conditional UPDATE matches no row, and the same 409 follows',
      },
      {
        file: 'services/order-service/src/domain/orders.ts',
        mutator: 'ConditionalExpression',
        near: 'if (moved) return moved;',
        replacement: 'false',
        reason: 'the re-read finds the order already moved and answers it: one read more, the same answer',
      },
      {
        file: 'services/order-service/src/domain/ids.ts',
        mutator: 'ConditionalExpression',
        near: 'if (offset === POOL.length) {',
        replacement: 'true',
        reason: 'refilling the random pool on every id costs time only; ids stay random and ordered',
      },
      {
        file: 'services/order-service/src/domain/orderMails.ts',
        mutator: 'ArrayDeclaration',
        near: 'let accepted: string[] = [];',
        replacement: '["Stryker was here"]',
        reason: 'an id that names no order is marked done with the first batch: the UPDATE matches no row',
      },
      {
        file: 'services/order-service/src/domain/orderMails.ts',
        mutator: 'ConditionalExpression',
        near: 'if (orderIds.length === 0) return;',
        replacement: 'false',
        reason: 'an empty batch commits an empty transaction: one commit more, nothing changes',
      },
      {
        file: 'services/order-service/src/domain/orderMails.ts',
        mutator: 'ConditionalExpression',
        near: 'if (flushTimer) return;',
        replacement: 'false',
        reason:
          'a timer per accepted request instead of one per batch: the first still marks the whole batch done within 20 ms, the others find little or nothing left (more commits, the same rows)',
      },
    ],
  },
  {
    name: 'payment-domain',
    description: 'payment-service payOrder and Stripe intent sync',
    mutate: [
      'services/payment-service/src/domain/payOrder.ts',
      'services/payment-service/src/domain/stripeIntents.ts',
    ],
    projects: ['services/payment-service'],
    threshold: 90,
    equivalent: [
      {
        file: 'services/payment-service/src/domain/payOrder.ts',
        mutator: 'ConditionalExpression',
        near: 'const reuse = payment.attempt_open && payment.attempt_payment_method === method;',
        replacement: 'true',
        reason:
          'an open attempt with another method is never confirmed: pay-order asks Stripe first, and recording its answer closes the attempt',
      },
      {
        file: 'services/payment-service/src/domain/payOrder.ts',
        mutator: 'ConditionalExpression',
        near: 'if (error.payment_intent) intents.record(payment.id, error.payment_intent);',
        replacement: 'true',
        reason:
          "Stripe's errors on a request involving a PaymentIntent (a confirmation) carry it, and so do the sandbox's card errors; closing the attempt without it is defence in depth",
      },
      {
        file: 'services/payment-service/src/domain/stripeIntents.ts',
        mutator: 'ConditionalExpression',
        near: 'if (intent.id === payment.payment_intent_id || FINAL_STATUSES.includes(',
        replacement: 'false',
        reason:
          "cancelStray's one caller (the webhook handler's strayOf) passes only an intent other than the recorded one",
      },
      {
        file: 'services/payment-service/src/domain/stripeIntents.ts',
        mutator: 'ConditionalExpression',
        near: "if (changed && payment.status === 'succeeded') {",
        replacement: 'true',
        reason:
          'accepted: killed when applied by hand (intentSync.test.ts "a charge seen twice ...": expected 1 to be 0), yet reported survived by Stryker in two runs, the second limited to this line; the cause was not found',
      },
      {
        file: 'services/payment-service/src/domain/stripeIntents.ts',
        mutator: 'ConditionalExpression',
        near: 'if (isStorageFault(error)) throw error; // Stripe answered',
        replacement: 'false',
        reason:
          'accepted: the deferral the mutant makes instead is a write to the same database, which the same fault refuses; they differ only when the fault clears between the two writes, which no test can time',
      },
    ],
  },
  {
    name: 'notification-delivery',
    description: 'notification-service delivery, worker and notifier',
    mutate: [
      'services/notification-service/src/domain/delivery.ts',
      'services/notification-service/src/domain/worker.ts',
      'services/notification-service/src/domain/notifier.ts',
    ],
    projects: ['services/notification-service'],
    threshold: 90,
    equivalent: [
      {
        file: 'services/notification-service/src/domain/delivery.ts',
        mutator: 'BlockStatement',
        near: 'if ((await mailer.draftState(draftId, timeoutMs)) === DRAFT_GONE) {',
        replacement: '{}',
        reason:
          'a draft the check found gone is then sent, which answers 404 (gone) too, and the mail is marked sent with the same line: one Gmail call more, the same outcome',
      },
      {
        file: 'services/notification-service/src/domain/notifier.ts',
        mutator: 'ConditionalExpression',
        near: "if (record.status !== 'failed') return record;",
        replacement: 'false',
        reason:
          "the store's requeue changes only a failed row (WHERE status = 'failed'); any other is answered as it is, as before",
      },
      ...(
        [
          ['ObjectLiteral', 'const unexpected = (): MailFailure => ({', '{}'],
          ['StringLiteral', "reason: 'unexpected error while sending',", '""'],
          ['StringLiteral', "kind: 'unavailable',", '""'],
          ['BooleanLiteral', 'mayHaveSent: true,', 'false'],
        ] as const
      ).map(([mutator, near, replacement]) => ({
        file: 'services/notification-service/src/domain/delivery.ts',
        mutator,
        near,
        replacement,
        reason:
          'accepted: every Gmail failure is a MailerError, so only a store failing with an error that is not a storage fault (a closed or corrupt database) gets here, and then the queued row this describes cannot be written either',
      })),
      {
        file: 'services/notification-service/src/domain/delivery.ts',
        mutator: 'ArrowFunction',
        near: 'async function runDue(stop: () => boolean = () => false)',
        replacement: '() => undefined',
        reason: 'the loop asks `!stop()`: undefined and false both let it go on',
      },
      {
        file: 'services/notification-service/src/domain/worker.ts',
        mutator: 'BooleanLiteral',
        near: 'let stopping = false;',
        replacement: 'true',
        reason:
          'start() sets stopping to false before the loop runs its first tick, and no tick runs before start()',
      },
      {
        file: 'services/notification-service/src/domain/notifier.ts',
        mutator: 'BooleanLiteral',
        near: 'start = { held: true };',
        replacement: 'false',
        reason: "initialState asks only whether the key is there (`'held' in start`), never for its value",
      },
    ],
  },
  // The HTTP edge of each service (its routes, presenters and contract) and the sandboxes' idempotency
  // and fault code: held to 80%.
  ...(['user', 'order', 'payment', 'notification'] as const).map((service) => ({
    name: `${service}-edge`,
    description: `${service}-service routes, presenters and contract`,
    mutate: [`services/${service}-service/src/http/**/*.ts`, `shared/src/contracts/${service}.ts`],
    projects: [`services/${service}-service`],
    threshold: 80,
    equivalent: edgeEquivalent[service],
  })),
  {
    name: 'stripe-sandbox',
    description: "Stripe sandbox's idempotency and faults",
    mutate: ['sandboxes/stripe-sandbox/src/idempotency.ts', 'sandboxes/stripe-sandbox/src/faults.ts'],
    projects: ['sandboxes/stripe-sandbox'],
    threshold: 80,
    equivalent: [
      {
        file: 'sandboxes/stripe-sandbox/src/idempotency.ts',
        mutator: 'StringLiteral',
        near: "kind: 'execute',",
        replacement: '""',
        reason: "the route only asks whether kind is 'replay'; any other kind runs the request the same way",
      },
    ],
  },
  {
    name: 'gmail-sandbox',
    description: "Gmail sandbox's faults",
    mutate: ['sandboxes/gmail-sandbox/src/faults.ts'],
    projects: ['sandboxes/gmail-sandbox'],
    threshold: 80,
    equivalent: [
      ...[
        'if (request.operation) fault.operation = request.operation;',
        'if (request.reason) fault.reason = request.reason;',
        'if (request.retry_after_s !== undefined) fault.retry_after_s = request.retry_after_s;',
      ].map((near) => ({
        file: 'sandboxes/gmail-sandbox/src/faults.ts',
        mutator: 'ConditionalExpression',
        near,
        replacement: 'true',
        reason:
          'the field is then set to undefined: JSON leaves it out and every reader treats it as absent, as before',
      })),
      {
        file: 'sandboxes/gmail-sandbox/src/faults.ts',
        mutator: 'StringLiteral',
        near: "path: issue.path.join('.')",
        replacement: '""',
        reason:
          'the fault schema is flat: every issue path has at most one segment, so the separator never shows',
      },
    ],
  },
];
