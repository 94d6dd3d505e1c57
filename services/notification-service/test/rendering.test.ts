import { describe, expect, it } from 'vitest';
import { backoffDelay } from '@shop/shared';
import { escapeHtml } from '../src/domain/html.ts';
import {
  isSecurityType,
  NOTIFICATION_TYPES,
  SECURITY_TYPES,
  type Order,
  type User,
} from '@shop/shared/contracts';
import { securityMail } from '../src/domain/accountTemplates.ts';
import { renderMail, welcomeMail } from '../src/domain/templates.ts';

describe('mail rendering helpers', () => {
  it('when text has HTML special characters, escapeHtml turns each into its entity', () => {
    expect(escapeHtml(`<script>alert('x') & "y"</script>`)).toBe(
      '&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;',
    );
  });

  it('when a user value reaches the welcome HTML, it is escaped', () => {
    const mail = welcomeMail({
      id: '8a0a4b4e-9a8e-4a53-b9a8-4b0f3f2b7f10',
      username: 'ann',
      email_verified: true,
      email: 'a<b>@example.com',
      created_at: '2025-01-01T00:00:00.000Z',
    });
    expect(mail.html).toContain('a&lt;b&gt;@example.com');
    expect(mail.html).not.toContain('a<b>@example.com');
    expect(mail.text).toContain('a<b>@example.com');
  });
});

describe('the mail of every type', () => {
  const user: User = {
    id: '8a0a4b4e-9a8e-4a53-b9a8-4b0f3f2b7f10',
    username: 'Phisher-Name',
    email: 'ann@example.com',
    email_verified: true,
    created_at: '2025-01-01T00:00:00.000Z',
  };
  const order: Order = {
    id: 'c87441f8-3926-4bde-be0a-5252f1acae81',
    user_id: user.id,
    product_name: 'Lure <i>text</i>',
    quantity: 1,
    unit_amount: 50,
    amount: 50,
    currency: 'USD',
    status: 'Paid',
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
  };

  it.each(NOTIFICATION_TYPES.filter((type) => !isSecurityType(type)))(
    'when a %s mail is rendered, it has a text and an HTML part, and its subject holds neither the username nor the product',
    (type) => {
      const mail = renderMail(type, user, order);
      expect(mail.text).toContain(`Hello ${user.username},`);
      expect(mail.html).toMatch(/^<!doctype html>/i);
      expect(mail.html).toContain(`Hello ${user.username},`);
      expect(mail.subject).not.toContain(user.username);
      expect(mail.subject).not.toContain('Lure');
    },
  );
  it.each(SECURITY_TYPES)(
    'when a %s security mail is rendered, it has a text and an HTML part with its link and code, and fixed words only',
    (type) => {
      const action = { url: 'https://shop.example/verify?token=abc', code: '123456' };
      const mail = securityMail(type, action);
      expect(mail.text).toContain(action.url);
      expect(mail.text).toContain(action.code);
      expect(mail.html).toMatch(/^<!doctype html>/i);
      expect(mail.html).toContain('href="https://shop.example/verify?token=abc"');
      expect(mail.subject).toBe(securityMail(type).subject);
      expect(`${mail.subject}${mail.text}`).not.toMatch(/Hello/);
    },
  );
});

describe('retry backoff', () => {
  it('when tries fail, the delay doubles from the base and stops at the cap', () => {
    const schedule = { baseMs: 1000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, schedule))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(backoffDelay(500, { baseMs: 1000, maxMs: 300_000 })).toBe(300_000);
  });
});
