import { z } from 'zod';
import { envPort } from '@shop/shared/startup';

/** What the sandbox reads when started on its own (main.ts); the same names as in .env.example. */
export const gmailSandboxEnv = z.object({
  GMAIL_SANDBOX_PORT: envPort(8025),
  HOST: z.string().min(1).default('127.0.0.1'),
});
