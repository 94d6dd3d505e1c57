import express, { type Router } from 'express';
import { faultSchema } from './faults.ts';
import { StripeApiError, invalidRequest, noSuchResource } from './errors.ts';
import { settleRefund } from './refunds.ts';
import { controlContext } from './context.ts';
import { clearState } from './state.ts';
import type { SandboxCore } from './core.ts';

/** Sandbox-only controls for tests and scripts (JSON, no auth): faults, inspection, reset. */
export function controlRouter(core: SandboxCore): Router {
  const router = express.Router();
  router.use(express.json({ limit: '100kb' }));

  router.get('/payment_intents', (_req, res) => {
    const data = [...core.state.paymentIntents.values()];
    res.json({
      object: 'list',
      count: data.length,
      succeeded_count: data.filter((intent) => intent.status === 'succeeded').length,
      data,
    });
  });

  router.get('/events', (req, res) => {
    const type = typeof req.query.type === 'string' ? req.query.type : undefined;
    const data = core.state.events.filter((record) => type === undefined || record.event.type === type);
    res.json({ count: data.length, data });
  });

  router.get('/faults', (_req, res) => {
    res.json({ data: core.faults.list() });
  });
  router.post('/faults', (req, res) => {
    const parsed = faultSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue?.path.join('.') || undefined;
      res
        .status(400)
        .json(invalidRequest(issue?.message ?? 'Invalid fault.', 'parameter_invalid', param).body);
      return;
    }
    res.status(201).json(core.faults.add(parsed.data));
  });
  router.delete('/faults', (_req, res) => {
    core.faults.clear();
    res.json({ deleted: true });
  });

  router.get('/webhook', (_req, res) => {
    res.json({ url: core.webhooks.endpoint });
  });
  router.post('/webhook', (req, res) => {
    const url: unknown = req.body?.url;
    if (url !== null && (typeof url !== 'string' || !URL.canParse(url))) {
      res
        .status(400)
        .json(invalidRequest('url must be an absolute URL or null.', 'parameter_invalid', 'url').body);
      return;
    }
    core.webhooks.setUrl(url);
    res.json({ url });
  });

  // Refunds that do not settle at once: hold the next `count` refunds pending, then settle one.
  router.post('/refunds/hold', (req, res) => {
    const count: unknown = req.body?.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      res
        .status(400)
        .json(invalidRequest('count must be a whole number.', 'parameter_invalid', 'count').body);
      return;
    }
    core.state.refundsToHold = count;
    res.json({ hold: count });
  });
  router.post('/refunds/:id', (req, res) => {
    const outcome: unknown = req.body?.status;
    const refund = core.state.refunds.get(req.params.id);
    if (!refund) {
      res.status(404).json(noSuchResource('refund', req.params.id, 'id').body);
      return;
    }
    if (outcome !== 'succeeded' && outcome !== 'failed' && outcome !== 'canceled') {
      res
        .status(400)
        .json(
          invalidRequest("status must be 'succeeded', 'failed' or 'canceled'.", 'parameter_invalid', 'status')
            .body,
        );
      return;
    }
    try {
      res.json(settleRefund(controlContext(core, req), refund, outcome));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      res.status(error.status).json(error.body);
    }
  });

  router.post('/reset', (_req, res) => {
    core.webhooks.abortAll();
    clearState(core.state);
    core.faults.clear();
    core.idempotency.clear();
    res.json({ reset: true });
  });
  return router;
}
