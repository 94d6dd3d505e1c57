import { z } from 'zod';
import { envPort } from '@shop/shared/startup';
import { DEFAULT_WEBHOOK_SECRET } from './app.ts';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** What the sandbox reads when started on its own (main.ts); the same names as in .env.example. */
export const stripeSandboxEnv = z.object({
  STRIPE_SANDBOX_PORT: envPort(12111),
  HOST: z.string().min(1).default('127.0.0.1'),
  STRIPE_SANDBOX_WEBHOOK_URL: optional(z.url({ message: 'must be an absolute URL' })),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\S+$/, 'must be a webhook signing secret (whsec_...)')
    .default(DEFAULT_WEBHOOK_SECRET),
  /** The same variable the payment-service reads: the account's settlement currency. */
  STRIPE_SETTLEMENT_CURRENCY: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code such as USD')
    .default('USD'),
});
