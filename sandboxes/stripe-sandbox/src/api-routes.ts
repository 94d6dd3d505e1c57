import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import { invalidRequest, noSuchResource } from './errors.ts';
import { listObjects } from './lists.ts';
import { cancelIntent, createIntent, getIntent, updateIntent } from './payment-intents.ts';
import { confirmIntent, requireNoRedirects } from './confirm.ts';
import { createRefund, getRefund, refundsMatching } from './refunds.ts';
import { searchIntents } from './search.ts';
import { findTestPaymentMethod, paymentMethodObject } from './payment-methods.ts';
import { optionalString, rejectUnknownParams, type KnownParams } from './params.ts';
import { snapshot } from './context.ts';
import { requireTestKey } from './auth.ts';
import { stripeRoute, type Operation } from './stripe-route.ts';
import type { SandboxCore } from './core.ts';

function id(req: Request): string {
  return String(req.params.id);
}

const LIST: KnownParams = { limit: true, starting_after: true, ending_before: true, expand: true };
const METADATA: KnownParams = { metadata: true };

/** The parameters each endpoint takes; anything else is refused (400 parameter_unknown), as by Stripe. */
const KNOWN = {
  createIntent: {
    ...METADATA,
    amount: true,
    currency: true,
    description: true,
    payment_method: true,
    allowed_payment_method_types: true,
    confirm: true,
    return_url: true,
    receipt_email: true,
    customer: true,
    capture_method: true,
    confirmation_method: true,
    automatic_payment_methods: ['enabled', 'allow_redirects'],
    expand: true,
  },
  updateIntent: { ...METADATA, description: true, amount: true, payment_method: true, expand: true },
  confirmIntent: { payment_method: true, return_url: true, expand: true },
  cancelIntent: { cancellation_reason: true, expand: true },
  createRefund: { ...METADATA, payment_intent: true, charge: true, amount: true, reason: true, expand: true },
  retrieve: { expand: true },
  listIntents: { ...LIST, customer: true },
  searchIntents: { query: true, limit: true, page: true, expand: true },
  listRefunds: { ...LIST, charge: true, payment_intent: true },
  listEvents: { ...LIST, type: true },
} satisfies Record<string, KnownParams>;

/** The /v1 API: PaymentIntents, refunds, and read-only charges, payment methods and events. */
export function apiRouter(core: SandboxCore): Router {
  const router = express.Router();
  const route = (known: KnownParams, operation: Operation) =>
    stripeRoute(core, (ctx, params, req) => {
      rejectUnknownParams(params, known);
      return operation(ctx, params, req);
    });
  router.use(requireTestKey);
  router.use(express.urlencoded({ extended: true, limit: '1mb' }));

  router.post(
    '/payment_intents',
    route(KNOWN.createIntent, (ctx, params) => snapshot(createIntent(ctx, params))),
  );
  router.get(
    '/payment_intents',
    route(KNOWN.listIntents, (ctx, params) =>
      listObjects(ctx.state.paymentIntents.values(), params, '/v1/payment_intents', 'payment_intent'),
    ),
  );
  router.get(
    '/payment_intents/search',
    route(KNOWN.searchIntents, (ctx, params) => searchIntents(ctx.state.paymentIntents.values(), params)),
  );
  router.get(
    '/payment_intents/:id',
    route(KNOWN.retrieve, (ctx, _p, req) => snapshot(getIntent(ctx.state, id(req)))),
  );
  router.post(
    '/payment_intents/:id',
    route(KNOWN.updateIntent, (ctx, params, req) =>
      snapshot(updateIntent(ctx, getIntent(ctx.state, id(req)), params)),
    ),
  );
  router.post(
    '/payment_intents/:id/confirm',
    route(KNOWN.confirmIntent, (ctx, params, req) => {
      const intent = getIntent(ctx.state, id(req));
      const returnUrl = optionalString(params, 'return_url');
      if (returnUrl !== undefined) ctx.state.returnUrls.set(intent.id, returnUrl);
      // The confirm page stands for Stripe.js, which always sends one; an API call may not.
      else if (!ctx.state.returnUrls.has(intent.id)) requireNoRedirects(intent.automatic_payment_methods);
      confirmIntent(ctx, intent, optionalString(params, 'payment_method'));
      return snapshot(intent);
    }),
  );
  router.post(
    '/payment_intents/:id/cancel',
    route(KNOWN.cancelIntent, (ctx, params, req) =>
      snapshot(cancelIntent(ctx, getIntent(ctx.state, id(req)), params)),
    ),
  );

  router.post(
    '/refunds',
    route(KNOWN.createRefund, (ctx, params) => snapshot(createRefund(ctx, params))),
  );
  router.get(
    '/refunds',
    route(KNOWN.listRefunds, (ctx, params) =>
      listObjects(refundsMatching(ctx, params), params, '/v1/refunds', 'refund'),
    ),
  );
  router.get(
    '/refunds/:id',
    route(KNOWN.retrieve, (ctx, _p, req) => snapshot(getRefund(ctx, id(req)))),
  );

  router.get(
    '/charges/:id',
    route(KNOWN.retrieve, (ctx, _p, req) => {
      const charge = ctx.state.charges.get(id(req));
      if (!charge) throw noSuchResource('charge', id(req), 'id');
      return snapshot(charge);
    }),
  );
  router.get(
    '/payment_methods/:id',
    route(KNOWN.retrieve, (_ctx, _p, req) => {
      const method = findTestPaymentMethod(id(req));
      if (!method) throw noSuchResource('PaymentMethod', id(req), 'payment_method');
      return paymentMethodObject(method);
    }),
  );
  router.get(
    '/events',
    route(KNOWN.listEvents, (ctx, params) => {
      const type = optionalString(params, 'type');
      const events = ctx.state.events
        .map((r) => r.event)
        .filter((e) => type === undefined || e.type === type);
      return listObjects(events, params, '/v1/events', 'event');
    }),
  );
  router.get(
    '/events/:id',
    route(KNOWN.retrieve, (ctx, _p, req) => {
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
