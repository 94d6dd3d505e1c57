import { Router } from 'express';
import { parseRequest, principalOf, requireAuth, type AuthKeys } from '@shop/shared';
import { IdParams, PaymentForOrderQuery, RefundBody } from '@shop/shared/contracts';
import type { Payments } from '../domain/payments.ts';

/** Reading and refunding payments: the owner or a service. */
export function paymentsRouter(
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>,
  payments: Payments,
): Router {
  const router = Router();
  const ownerOrService = requireAuth(keys, ['user', 'service']);

  router.get('/api/payment/:id', ownerOrService, (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    res.json(payments.getPayment(principalOf(res), params.id));
  });

  router.get('/api/payments', ownerOrService, (req, res) => {
    const { query } = parseRequest(req, { query: PaymentForOrderQuery });
    res.json(payments.getPaymentOfOrder(principalOf(res), query.order_id));
  });

  router.post('/api/payment/:id/refund', ownerOrService, async (req, res) => {
    const { params } = parseRequest(req, { params: IdParams, body: RefundBody });
    res.json(await payments.refund(principalOf(res), params.id));
  });
  return router;
}
