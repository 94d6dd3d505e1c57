import type { Implementation } from '@shop/shared';
import type { notificationApi } from '@shop/shared/contracts';
import type { Dependencies } from '../dependencies.ts';
import { notificationView, notifyResultOf } from './presenters.ts';

/** The notification-service's handlers, one per endpoint of its contract. */
export function notificationRoutes({ notifier }: Dependencies): Implementation<typeof notificationApi> {
  return {
    notify: async ({ body, caller }) => {
      const result = notifyResultOf(await notifier.notify(body, caller.service));
      // 202: accepted, not delivered yet (Gmail failed, or the recipient is over the cap: the worker sends it).
      return result.status === 'queued' ? { status: 202, body: result } : { status: 200, body: result };
    },
    addressVerified: async ({ body }) => ({
      status: 200,
      body: { released: await notifier.releaseHeld(body.user_id) },
    }),
    resendNotification: ({ params }) => ({
      status: 202,
      body: notificationView(notifier.resend(params.id)),
    }),
    listNotifications: ({ query, caller }) => ({
      status: 200,
      body: { data: notifier.list(caller.userId, query).map(notificationView) },
    }),
    getNotification: ({ params, caller }) => ({
      status: 200,
      body: notificationView(notifier.get(caller.userId, params.id)),
    }),
  };
}
