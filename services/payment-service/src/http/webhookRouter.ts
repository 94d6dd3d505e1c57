import { Router } from 'express';
import type Stripe from 'stripe';
import { badRequest, serviceUnavailable, AppError } from '@shop/shared';
import type { Payments } from '../domain/payments.ts';

export const WEBHOOK_PATH = '/api/webhooks/stripe';

/**
 * `POST /api/webhooks/stripe`: Stripe's signed events. The body stays raw bytes (the signature covers
 * them exactly); no signature or a wrong one is a 400 and changes nothing. A 5xx makes Stripe retry.
 */
export function webhookRouter(payments: Payments, webhookSecret: string): Router {
  const router = Router();
  router.post(WEBHOOK_PATH, async (req, res) => {
    const signature = req.get('stripe-signature');
    if (!signature) throw badRequest('The Stripe-Signature header is missing.', 'missing_signature');
    const payload = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let event: Stripe.Event;
    try {
      event = payments.stripe.webhooks.constructEvent(payload, signature, webhookSecret);
    } catch {
      throw badRequest('The Stripe-Signature does not match the body.', 'invalid_signature');
    }
    try {
      const outcome = await payments.handleStripeEvent(event);
      res.json({ received: true, event_id: event.id, outcome });
    } catch (error) {
      if (error instanceof AppError) throw error;
      payments.logger.warn(
        { event_id: event.id, type: event.type, err: (error as Error).message },
        'event not processed',
      );
      throw serviceUnavailable(
        'The event could not be processed now; Stripe will deliver it again.',
        'event_not_processed',
      );
    }
  });
  return router;
}
