import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import { invalidRequest, noSuchResource } from './errors.ts';
import { listObjects } from './lists.ts';
import { cancelIntent, createIntent, getIntent, updateIntent } from './payment-intents.ts';
import { confirmIntent } from './confirm.ts';
import { createRefund, getRefund } from './refunds.ts';
import { findTestPaymentMethod, paymentMethodObject } from './payment-methods.ts';
import { optionalString } from './params.ts';
import { snapshot } from './context.ts';
import { requireTestKey } from './auth.ts';
import { stripeRoute, type Operation } from './stripe-route.ts';
import type { SandboxCore } from './core.ts';

function id(req: Request): string {
  return String(req.params.id);
}

/** The /v1 API: PaymentIntents, refunds, and read-only charges, payment methods and events. */
export function apiRouter(core: SandboxCore): Router {
  const router = express.Router();
  const route = (operation: Operation) => stripeRoute(core, operation);
  router.use(requireTestKey);
  router.use(express.urlencoded({ extended: true, limit: '1mb' }));

  router.post(
    '/payment_intents',
    route((ctx, params) => snapshot(createIntent(ctx, params))),
  );
  router.get(
    '/payment_intents',
    route((ctx, params) =>
      listObjects(ctx.state.paymentIntents.values(), params, '/v1/payment_intents', 'payment_intent'),
    ),
  );
  router.get(
    '/payment_intents/:id',
    route((ctx, _p, req) => snapshot(getIntent(ctx.state, id(req)))),
  );
  router.post(
    '/payment_intents/:id',
    route((ctx, params, req) => snapshot(updateIntent(ctx, getIntent(ctx.state, id(req)), params))),
  );
  router.post(
    '/payment_intents/:id/confirm',
    route((ctx, params, req) => {
      const intent = getIntent(ctx.state, id(req));
      const returnUrl = optionalString(params, 'return_url');
      if (returnUrl !== undefined) ctx.state.returnUrls.set(intent.id, returnUrl);
      confirmIntent(ctx, intent, optionalString(params, 'payment_method'));
      return snapshot(intent);
    }),
  );
  router.post(
    '/payment_intents/:id/cancel',
    route((ctx, params, req) => snapshot(cancelIntent(ctx, getIntent(ctx.state, id(req)), params))),
  );

  router.post(
    '/refunds',
    route((ctx, params) => snapshot(createRefund(ctx, params))),
  );
  router.get(
    '/refunds',
    route((ctx, params) => listObjects(ctx.state.refunds.values(), params, '/v1/refunds', 'refund')),
  );
  router.get(
    '/refunds/:id',
    route((ctx, _p, req) => snapshot(getRefund(ctx, id(req)))),
  );

  router.get(
    '/charges/:id',
    route((ctx, _p, req) => {
      const charge = ctx.state.charges.get(id(req));
      if (!charge) throw noSuchResource('charge', id(req), 'id');
      return snapshot(charge);
    }),
  );
  router.get(
    '/payment_methods/:id',
    route((_ctx, _p, req) => {
      const method = findTestPaymentMethod(id(req));
      if (!method) throw noSuchResource('PaymentMethod', id(req), 'payment_method');
      return paymentMethodObject(method);
    }),
  );
  router.get(
    '/events',
    route((ctx, params) => {
      const type = optionalString(params, 'type');
      const events = ctx.state.events
        .map((r) => r.event)
        .filter((e) => type === undefined || e.type === type);
      return listObjects(events, params, '/v1/events', 'event');
    }),
  );
  router.get(
    '/events/:id',
    route((ctx, _p, req) => {
      const record = ctx.state.events.find((r) => r.event.id === id(req));
      if (!record) throw noSuchResource('event', id(req), 'id');
      return record.event;
    }),
  );

  router.use((req, res) => {
    const message =
      `Unrecognized request URL (${req.method}: ${req.originalUrl.split('?')[0]}). ` +
      'Please see https://stripe.com/docs or we can help at https://support.stripe.com/.';
    res.status(404).json(invalidRequest(message).body);
  });
  const badBody: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
    const status = error.status && error.status < 500 ? error.status : 400;
    res.status(status).json(invalidRequest('The request body could not be parsed.').body);
  };
  router.use(badBody);
  return router;
}
