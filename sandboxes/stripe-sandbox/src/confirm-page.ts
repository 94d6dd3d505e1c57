import express, { type Request, type Router } from 'express';
import { StripeApiError, noSuchResource } from './errors.ts';
import { completeAuthentication, confirmIntent } from './confirm.ts';
import { confirmPage, notFoundPage } from './confirm-page-html.ts';
import { controlContext, snapshot } from './context.ts';
import type { SandboxCore } from './core.ts';
import type { PaymentIntent } from './state.ts';

function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';
}

/** Where a form post lands: the intent's return_url (with Stripe's redirect query) or this page. */
function redirectTarget(core: SandboxCore, intent: PaymentIntent): string {
  const returnUrl = core.state.returnUrls.get(intent.id);
  if (!returnUrl || !URL.canParse(returnUrl)) return `/confirm/${intent.id}`;
  const url = new URL(returnUrl);
  url.searchParams.set('payment_intent', intent.id);
  url.searchParams.set('payment_intent_client_secret', intent.client_secret);
  url.searchParams.set('redirect_status', intent.status === 'succeeded' ? 'succeeded' : 'failed');
  return url.toString();
}

/**
 * The browser side of a client-confirmed payment: a page to pay with a test card, and to pass or
 * fail authentication (Stripe's 3D Secure page), for curl and Postman users without Stripe.js.
 */
export function confirmPageRouter(core: SandboxCore): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: true, limit: '100kb' }), express.json({ limit: '100kb' }));

  router.get('/:id', (req, res) => {
    const intent = core.state.paymentIntents.get(req.params.id);
    if (!intent) return void res.status(404).type('html').send(notFoundPage(req.params.id));
    res.type('html').send(confirmPage(intent));
  });

  router.post('/:id', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = typeof body.action === 'string' && body.action !== '' ? body.action : undefined;
    const paymentMethod =
      typeof body.payment_method === 'string' && body.payment_method !== '' ? body.payment_method : undefined;
    const ctx = controlContext(core, req);
    const intent = core.state.paymentIntents.get(req.params.id);
    let failure: StripeApiError | undefined;
    try {
      if (!intent) throw noSuchResource('payment_intent', req.params.id, 'intent');
      if (action === 'authorize' || action === 'fail')
        completeAuthentication(ctx, intent, action === 'authorize');
      else if (action !== undefined) {
        throw new StripeApiError(400, {
          type: 'invalid_request_error',
          message: "action must be 'authorize' or 'fail'.",
          param: 'action',
        });
      } else confirmIntent(ctx, intent, paymentMethod);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      failure = error;
    }
    if (wantsJson(req)) {
      if (failure) return void res.status(failure.status).json(failure.body);
      return void res.json(snapshot(intent));
    }
    if (!intent) return void res.status(404).type('html').send(notFoundPage(req.params.id));
    // Declines are shown by the page itself (last_payment_error); other errors leave the page as it was.
    const finished = action !== undefined && !failure;
    res.redirect(303, finished ? redirectTarget(core, intent) : `/confirm/${intent.id}`);
  });
  return router;
}
