import { randomUUID } from 'node:crypto';
import { call } from '../../e2e/support/api.ts';

export interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
}

/** Registers and logs in a new user through the API, as a client would. */
export async function registerAndLogin(userServiceUrl: string, label: string): Promise<Account> {
  const suffix = randomUUID().slice(0, 8);
  const username = `${label}-${suffix}`;
  const email = `${label}.${suffix}@example.com`;
  const password = `Secret-${randomUUID()}`;
  const registered = await call('POST', `${userServiceUrl}/api/user`, {
    body: { username, email, password },
  });
  if (registered.status !== 201) throw new Error(`register ${label}: ${registered.status}`);
  const login = await call('POST', `${userServiceUrl}/api/login`, { body: { email, password } });
  if (login.status !== 200) throw new Error(`login ${label}: ${login.status}`);
  return { id: registered.body.id, username, email, password, token: login.body.token };
}

/** Creates a Pending order for the account and returns its id. */
export async function createOrder(orderServiceUrl: string, account: Account, productName = 'Keyboard') {
  const res = await call('POST', `${orderServiceUrl}/api/order`, {
    token: account.token,
    body: { product_name: productName, quantity: 2, price: 19.99 },
  });
  if (res.status !== 201) throw new Error(`create order: ${res.status}`);
  return res.body.id as string;
}
