import { randomUUID } from 'node:crypto';
import { call } from './api.ts';

export interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
}

/**
 * Registers and logs in a new user through the API, as a client would; a fresh password unless
 * given. The address stays unverified: a test whose user must receive receipts (held for an
 * unverified address) uses registerVerifiedUser from @shop/shared/testing instead.
 */
export async function registerAndLogin(
  userServiceUrl: string,
  label: string,
  password = `Secret-${randomUUID()}`,
): Promise<Account> {
  const suffix = randomUUID().slice(0, 8);
  const username = `${label}-${suffix}`;
  const email = `${label}.${suffix}@example.com`;
  const registered = await call('POST', `${userServiceUrl}/api/user`, {
    body: { username, email, password },
  });
  if (registered.status !== 201) throw new Error(`register ${label}: ${registered.status}`);
  const login = await call('POST', `${userServiceUrl}/api/login`, { body: { email, password } });
  if (login.status !== 200) throw new Error(`login ${label}: ${login.status}`);
  return { id: registered.body.id, username, email, password, token: login.body.token };
}
