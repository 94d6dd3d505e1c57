import type { Implementation } from '@shop/shared';
import { pathOf, userApi } from '@shop/shared/contracts';
import type { Dependencies } from '../dependencies.ts';
import { ensureSelfOrService } from '../domain/access.ts';
import { toUserJson } from './presenters.ts';

/** The user-service's handlers, one per endpoint of its contract. */
export function userRoutes({
  accounts,
  preferences,
  mailRequests,
  rateLimiters,
}: Dependencies): Implementation<typeof userApi> {
  return {
    register: {
      before: [rateLimiters.register],
      handle: async ({ body }) => {
        const user = await accounts.register(body);
        mailRequests.request({ user_id: user.id, type: 'welcome' }); // the answer does not wait for the mail
        const location = pathOf(userApi.endpoints.getUser.path, { id: user.id });
        return { status: 201, body: toUserJson(user), headers: { Location: location } };
      },
    },
    login: {
      before: rateLimiters.login,
      handle: async ({ body }) => {
        const { token, expiresIn, user } = await accounts.login(body.email, body.password);
        return {
          status: 200,
          body: { token, token_type: 'Bearer', expires_in: expiresIn, user: toUserJson(user) },
          headers: { 'Cache-Control': 'no-store' },
        };
      },
    },
    me: async ({ caller }) => ({ status: 200, body: toUserJson(await accounts.getUser(caller.userId)) }),
    getUser: async ({ params, caller }) => {
      ensureSelfOrService(caller, params.id);
      return { status: 200, body: toUserJson(await accounts.getUser(params.id)) };
    },
    getPreferences: async ({ params, caller }) => {
      ensureSelfOrService(caller, params.id);
      return { status: 200, body: await preferences.get(params.id) };
    },
    updatePreferences: async ({ params, body, caller }) => {
      ensureSelfOrService(caller, params.id);
      return { status: 200, body: await preferences.update(params.id, body) };
    },
  };
}
