import type { Account } from '../../e2e/support/accounts.ts';
import { call } from '../../e2e/support/api.ts';

/** Creates a Pending order for the account and returns its id. */
export async function createOrder(orderServiceUrl: string, account: Account, productName = 'Keyboard') {
  const res = await call('POST', `${orderServiceUrl}/api/order`, {
    token: account.token,
    body: { product_name: productName, quantity: 2, price: 19.99 },
  });
  if (res.status !== 201) throw new Error(`create order: ${res.status}`);
  return res.body.id as string;
}
