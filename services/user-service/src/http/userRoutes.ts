import { Router } from 'express';
import {
  forbidden,
  isSelfOrService,
  parseRequest,
  principalOf,
  requireAuth,
  type AuthKeys,
} from '@shop/shared';
import { IdParams, UpdatePreferencesBody } from '@shop/shared/contracts';
import type { Response } from 'express';
import type { Accounts } from '../domain/accounts.ts';
import type { PreferencesService } from '../domain/preferences.ts';
import { toUserJson } from './presenters.ts';

export interface UserRoutesDeps {
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>;
  accounts: Accounts;
  preferences: PreferencesService;
}

/**
 * A user reaches only their own data; services reach anyone's. Another user's id is refused with
 * 403 before any look-up, so the answer is the same whether or not that id exists.
 */
function ensureSelfOrService(res: Response, userId: string): void {
  if (!isSelfOrService(principalOf(res), userId)) {
    throw forbidden('You may only see and change your own account.', 'not_your_account');
  }
}

export function userRoutes({ keys, accounts, preferences }: UserRoutesDeps) {
  const router = Router();
  const userOnly = requireAuth(keys, ['user']);
  const selfOrService = requireAuth(keys, ['user', 'service']);

  // Before /:id, which would otherwise take "me" for an id.
  router.get('/api/user/me', userOnly, async (_req, res) => {
    const principal = principalOf(res);
    if (principal.kind !== 'user') throw forbidden('Only a user may call this endpoint.');
    res.json(toUserJson(await accounts.getUser(principal.userId)));
  });

  router.get('/api/user/:id', selfOrService, async (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    ensureSelfOrService(res, params.id);
    res.json(toUserJson(await accounts.getUser(params.id)));
  });

  router.get('/api/user/:id/preferences', selfOrService, async (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    ensureSelfOrService(res, params.id);
    res.json(await preferences.get(params.id));
  });

  router.put('/api/user/:id/preferences', selfOrService, async (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    ensureSelfOrService(res, params.id);
    const { body } = parseRequest(req, { body: UpdatePreferencesBody });
    res.json(await preferences.update(params.id, body));
  });

  return router;
}
