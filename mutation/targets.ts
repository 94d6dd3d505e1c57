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

export const targets: Target[] = [
  {
    name: 'shared-core',
    description: 'shared money and service-token auth',
    mutate: ['shared/src/money.ts', 'shared/src/auth/tokens.ts', 'shared/src/auth/serviceKeys.ts'],
    projects: ['shared'],
    threshold: 90,
  },
  {
    name: 'order-domain',
    description: 'order-service domain (status machine, pricing, orders)',
    mutate: ['services/order-service/src/domain/**/*.ts'],
    projects: ['services/order-service'],
    threshold: 90,
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
  },
];
