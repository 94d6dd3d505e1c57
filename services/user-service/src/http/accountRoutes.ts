import { Router, type RequestHandler } from 'express';
import { parseRequest } from '@shop/shared';
import { LoginBody, RegisterBody } from '@shop/shared/contracts';
import type { Accounts } from '../domain/accounts.ts';
import type { WelcomeMail } from '../domain/welcomeMail.ts';
import { toUserJson } from './presenters.ts';

export interface AccountRoutesDeps {
  accounts: Accounts;
  welcomeMail: WelcomeMail;
  registerLimiter: RequestHandler;
  loginLimiter: RequestHandler;
}

/** Public endpoints: registration and login (no token; rate limited per client address). */
export function accountRoutes({ accounts, welcomeMail, registerLimiter, loginLimiter }: AccountRoutesDeps) {
  const router = Router();

  router.post('/api/user', registerLimiter, async (req, res) => {
    const { body } = parseRequest(req, { body: RegisterBody });
    const user = await accounts.register(body);
    res.status(201).location(`/api/user/${user.id}`).json(toUserJson(user));
    welcomeMail.send(user.id); // after the answer, and never awaited
  });

  router.post('/api/login', loginLimiter, async (req, res) => {
    const { body } = parseRequest(req, { body: LoginBody });
    const { token, expiresIn, user } = await accounts.login(body.email, body.password);
    res.set('Cache-Control', 'no-store');
    res.json({ token, token_type: 'Bearer', expires_in: expiresIn, user: toUserJson(user) });
  });

  return router;
}
