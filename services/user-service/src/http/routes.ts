import type { Implementation } from '@shop/shared';
import { pathOf, userApi } from '@shop/shared/contracts';
import type { Dependencies } from '../dependencies.ts';
import type { LoginResult } from '../domain/accounts.ts';
import { ensureSelfOrService } from '../domain/access.ts';
import { toUserJson } from './presenters.ts';

/** Tokens are never cached on the way (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store' };

const tokensJson = (result: LoginResult) => ({
  token: result.token,
  token_type: 'Bearer' as const,
  expires_in: result.expiresIn,
  refresh_token: result.refreshToken,
  refresh_expires_in: result.refreshExpiresIn,
  user: toUserJson(result.user),
});

/** The user-service's handlers, one per endpoint of its contract. */
export function userRoutes({
  accounts,
  sessions,
  preferences,
  rateLimiters,
}: Dependencies): Implementation<typeof userApi> {
  return {
    register: {
      before: [rateLimiters.register],
      handle: async ({ body }) => {
        const user = await accounts.register(body);
        const location = pathOf(userApi.endpoints.getUser.path, { id: user.id });
        return { status: 201, body: toUserJson(user), headers: { Location: location } };
      },
    },
    login: {
      before: rateLimiters.login,
      handle: async ({ body }) => ({
        status: 200,
        body: tokensJson(await accounts.login(body)),
        headers: NO_STORE,
      }),
    },
    refreshSession: async ({ body }) => ({
      status: 200,
      body: tokensJson(await accounts.refresh(body.refresh_token)),
      headers: NO_STORE,
    }),
    logout: async ({ caller }) => {
      if (caller.sessionId) await sessions.end(caller.sessionId);
      return { status: 204, body: undefined };
    },
    logoutEverywhere: async ({ caller }) => {
      await sessions.endAll(caller.userId);
      return { status: 204, body: undefined };
    },
    verifyEmail: async ({ body }) => ({
      status: 200,
      body: toUserJson(await accounts.verifyByLink(body.token)),
    }),
    verifyEmailCode: {
      before: [rateLimiters.verifyCode],
      handle: async ({ body, caller }) => ({
        status: 200,
        body: toUserJson(await accounts.verifyByCode(caller.userId, body.code)),
      }),
    },
    resendVerification: {
      before: [rateLimiters.resendVerification],
      handle: async ({ caller }) => {
        await accounts.resendVerification(caller.userId);
        return { status: 202, body: undefined };
      },
    },
    forgotPassword: {
      before: rateLimiters.forgotPassword,
      handle: async ({ body }) => {
        await accounts.forgotPassword(body.email);
        return { status: 202, body: undefined };
      },
    },
    resetPassword: async ({ body }) => {
      await accounts.resetPassword(body.token, body.new_password);
      return { status: 204, body: undefined };
    },
    changePassword: async ({ body, caller }) => {
      await accounts.changePassword(caller, body.current_password, body.new_password);
      return { status: 204, body: undefined };
    },
    updateProfile: async ({ body, caller }) => ({
      status: 200,
      body: toUserJson(await accounts.updateProfile(caller.userId, body.username)),
    }),
    changeEmail: async ({ body, caller }) => ({
      status: 202,
      body: { pending_email: await accounts.changeEmail(caller, body.new_email, body.password) },
    }),
    deleteAccount: async ({ body, caller }) => {
      await accounts.deleteAccount(caller, body.password);
      return { status: 204, body: undefined };
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
    // Only the notification-service's token reaches here (the contract's access): one read per mail.
    getRecipient: async ({ params }) => {
      const [user, prefs] = await Promise.all([accounts.getUser(params.id), preferences.get(params.id)]);
      return { status: 200, body: { user: toUserJson(user), preferences: prefs } };
    },
    updatePreferences: async ({ params, body, caller }) => {
      ensureSelfOrService(caller, params.id);
      return { status: 200, body: await preferences.update(params.id, body) };
    },
  };
}
