import { Router, type Request } from 'express';
import { parseRequest, principalOf, requireAuth, validationFailed, type AuthKeys } from '@shop/shared';
import { PayOrderBody } from '@shop/shared/contracts';
import type { Payments } from '../domain/payments.ts';

/** Visible ASCII, as Stripe and the IETF Idempotency-Key draft allow, up to Stripe's 255 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw validationFailed([
      { in: 'header', field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}

/** `POST /api/pay-order {order_id, payment_method?}` (seed 002's path and body), for the order's owner. */
export function payOrderRouter(
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>,
  payments: Payments,
): Router {
  const router = Router();
  router.post('/api/pay-order', requireAuth(keys, ['user']), async (req, res) => {
    const { body } = parseRequest(req, { body: PayOrderBody });
    const key = idempotencyKeyOf(req);
    const caller = principalOf(res);
    const userId = caller.kind === 'user' ? caller.userId : '';
    const result = await payments.payOrder(userId, body, key);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(result.status).json(result.body);
  });
  return router;
}
