import { Router } from 'express';
import { z } from 'zod';
import { QUOTA_REASONS } from './google-errors.ts';

/** The Gmail API methods the sandbox serves; a fault may be aimed at one of them. */
export const OPERATIONS = [
  'messages.send',
  'messages.list',
  'drafts.create',
  'drafts.get',
  'drafts.send',
  'sendAs.list',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const faultRequestSchema = z.strictObject({
  mode: z.enum(['error', 'invalid_grant', 'slow']),
  // Omitted = active until DELETE /api/faults.
  count: z.number().int().positive().optional(),
  delay_ms: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  /** errors[0].reason of an `error`: a quota reason makes a 403 or 429 a usage-limit answer. */
  reason: z.enum([...QUOTA_REASONS, 'insufficientPermissions', 'forbidden']).optional(),
  /** Sent as Retry-After (seconds) with an `error`. */
  retry_after_s: z.number().int().min(0).max(86_400).optional(),
  /** Only calls of this method are hit; omitted: every Gmail API call (not /token). */
  operation: z.enum(OPERATIONS).optional(),
});
export type FaultRequest = z.infer<typeof faultRequestSchema>;
export type FaultMode = FaultRequest['mode'];

export interface ActiveFault {
  mode: FaultMode;
  /** Requests still to be faulted; null = until cleared. */
  remaining: number | null;
  status?: number;
  delay_ms?: number;
  reason?: string;
  retry_after_s?: number;
  operation?: Operation;
}

export const DEFAULT_SLOW_DELAY_MS = 2000;
export const DEFAULT_ERROR_STATUS = 503;

/** Faults for tests, one slot per mode so an error and a delay can be armed together. */
export class Faults {
  private readonly active = new Map<FaultMode, ActiveFault>();

  arm(request: FaultRequest): ActiveFault {
    const fault: ActiveFault = { mode: request.mode, remaining: request.count ?? null };
    if (request.operation) fault.operation = request.operation;
    if (request.mode === 'error') {
      fault.status = request.status ?? DEFAULT_ERROR_STATUS;
      if (request.reason) fault.reason = request.reason;
      if (request.retry_after_s !== undefined) fault.retry_after_s = request.retry_after_s;
    }
    if (request.mode === 'slow') fault.delay_ms = request.delay_ms ?? DEFAULT_SLOW_DELAY_MS;
    this.active.set(request.mode, fault);
    return fault;
  }

  clear(): void {
    this.active.clear();
  }

  list(): ActiveFault[] {
    return [...this.active.values()];
  }

  /**
   * Uses up one occurrence of the fault if armed (and aimed at `operation`, when it names one), and
   * returns it; undefined when not armed.
   */
  take(mode: FaultMode, operation?: Operation): ActiveFault | undefined {
    const fault = this.active.get(mode);
    if (!fault) return undefined;
    if (fault.operation && fault.operation !== operation) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.active.delete(mode);
    }
    return { ...fault };
  }
}

export function faultsRouter(faults: Faults): Router {
  const router = Router();
  router.get('/api/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.post('/api/faults', (req, res) => {
    const parsed = faultRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({
        error: {
          code: 'validation_failed',
          message: 'Invalid fault request',
          fields: parsed.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        },
      });
      return;
    }
    res.status(201).json({ fault: faults.arm(parsed.data), faults: faults.list() });
  });
  router.delete('/api/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}
