import { forbidden, isSelfOrService, type Principal } from '@shop/shared';

/**
 * A user reaches only their own account; the services an endpoint admits reach anyone's. Another
 * user's id is refused with 403 before any look-up, so the answer is the same whether or not that
 * id exists.
 */
export function ensureSelfOrService(caller: Principal, userId: string): void {
  if (!isSelfOrService(caller, userId)) {
    throw forbidden('You may only see and change your own account.', 'not_your_account');
  }
}
