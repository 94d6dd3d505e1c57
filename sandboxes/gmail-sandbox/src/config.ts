import { z } from 'zod';
import { envPort } from '@shop/shared/startup';

/** What the sandbox reads when started on its own (main.ts); the same names as in .env.example. */
export const gmailSandboxEnv = z.object({
  GMAIL_SANDBOX_PORT: envPort(8025),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The sandbox mailbox's address: what it lists in sendAs and sends From. */
  GMAIL_SANDBOX_ACCOUNT: z.string().trim().email().default('no-reply@shop.local'),
});
