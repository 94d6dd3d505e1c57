import type { z } from 'zod';

/** Who may call an operation: a user's token, a service token, either, or anyone. */
export type Access = 'user' | 'service' | 'user or service' | 'public';

/**
 * One documented endpoint. Routers validate with the same zod schemas named here, so the OpenAPI
 * document cannot drift from what the service accepts.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. `/api/order/:id`. */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: { name: string; description: string; required?: boolean }[];
  /** Success and notable error responses; 400/401/403/429/500 problem answers are added as they apply. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}
