import { Router } from 'express';
import {
  forbidden,
  isSelfOrService,
  notFound,
  parseRequest,
  principalOf,
  requireAuth,
  type AuthKeys,
} from '@shop/shared';
import { IdParams, ListNotificationsQuery, NotifyBody } from '@shop/shared/contracts';
import type { Notifier } from '../domain/notifier.ts';
import { notificationView, notifyResultOf } from '../domain/view.ts';

export function notificationsRouter(notifier: Notifier, keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>) {
  const router = Router();

  // Services only: a leaked user token must not be able to mail people.
  router.post('/api/notify', requireAuth(keys, ['service']), async (req, res) => {
    const { body } = parseRequest(req, { body: NotifyBody });
    const result = notifyResultOf(await notifier.notify(body));
    // 202: accepted, not delivered yet (Gmail failed; the worker retries).
    res.status(result.status === 'queued' ? 202 : 200).json(result);
  });

  router.get('/api/notifications', requireAuth(keys, ['user', 'service']), (req, res) => {
    const { query } = parseRequest(req, { query: ListNotificationsQuery });
    const principal = principalOf(res);
    let userId = query.user_id;
    if (principal.kind === 'user') {
      if (userId && userId !== principal.userId) {
        throw forbidden('You may only list your own notifications.');
      }
      userId = principal.userId;
    }
    const records = notifier.list({
      user_id: userId,
      order_id: query.order_id,
      type: query.type,
      limit: query.limit,
    });
    res.json({ data: records.map(notificationView) });
  });

  router.get('/api/notifications/:id', requireAuth(keys, ['user', 'service']), (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    const record = notifier.get(params.id);
    // Someone else's notification is "not found": its existence is not the caller's business.
    if (!record || !isSelfOrService(principalOf(res), record.user_id)) {
      throw notFound('No notification with this id.', 'notification_not_found');
    }
    res.json(notificationView(record));
  });

  return router;
}
