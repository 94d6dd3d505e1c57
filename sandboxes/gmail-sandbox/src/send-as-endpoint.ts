import { Router } from 'express';
import { gmailCall } from './gmail-call.ts';
import { sendAsEntry, sendAsList } from './gmail-types.ts';
import { ENDPOINT_SCOPES } from './scopes.ts';
import type { SendDependencies } from './send-endpoint.ts';

/** `users.settings.sendAs.list`: the account's primary address and its verified aliases. */
export function sendAsRouter(deps: SendDependencies): Router {
  const router = Router();
  router.get(
    '/gmail/v1/users/:userId/settings/sendAs',
    gmailCall(deps, 'sendAs.list', ENDPOINT_SCOPES.sendAsList, (_req, res) => {
      const { address, aliases } = deps.account;
      res.json(sendAsList([sendAsEntry(address, true), ...aliases.map((a) => sendAsEntry(a, false))]));
    }),
  );
  return router;
}
