import { describe, expect, it } from 'vitest';
import { createOrder, mailsTo, rawMail, registerUser, setOrderStatus } from './support/neighbours.ts';
import { notify, startService } from './support/service.ts';
import { deliverySuite } from './support/suite.ts';

const suite = deliverySuite('notification-subjects-');

/** What a phisher types where the shop lets them: an order's product name and a username. */
const PHISHING_PRODUCT = 'URGENT - account locked: confirm your card at https://evil.example';
const PHISHING_USERNAME = 'URGENT-account-locked';
const PHISHING_WORDS = ['URGENT', 'account', 'locked', 'confirm', 'card', 'evil.example', 'https'];

describe('mail subjects carry no text a user chose', () => {
  it('when an order named like a phishing lure is paid and refunded, no subject of any mail the user receives contains any of it', async () => {
    const service = suite.track(startService(suite.n));
    const user = await registerUser(suite.n, PHISHING_USERNAME);
    const order = await createOrder(suite.n, user.id, { product_name: PHISHING_PRODUCT, price: '0.50' });

    const welcome = await notify(service, { user_id: user.id, type: 'welcome' });
    const receipt = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_paid' });
    await setOrderStatus(suite.n, order.id, 'Refunded');
    const refund = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_refunded' });

    expect([welcome.body.status, receipt.body.status, refund.body.status]).toEqual(['sent', 'sent', 'sent']);
    const messages = await mailsTo(suite.n.gmail, user.email);
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      const { mail } = await rawMail(suite.n.gmail, message.id);
      for (const word of PHISHING_WORDS)
        expect(mail.subject?.toLowerCase()).not.toContain(word.toLowerCase());
      // The body still names the order as the user typed it (escaped in HTML).
      if (!mail.subject?.startsWith('Welcome')) expect(mail.text).toContain(PHISHING_PRODUCT);
    }
  });
});
