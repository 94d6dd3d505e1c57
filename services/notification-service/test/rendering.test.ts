import { describe, expect, it } from 'vitest';
import { backoffDelay } from '@shop/shared';
import { escapeHtml, headerText } from '../src/domain/html.ts';
import { welcomeMail } from '../src/domain/templates.ts';

describe('mail rendering helpers', () => {
  it('when text has HTML special characters, escapeHtml turns each into its entity', () => {
    expect(escapeHtml(`<script>alert('x') & "y"</script>`)).toBe(
      '&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;',
    );
  });

  it('when a value would go into a header, line breaks and control characters become single spaces', () => {
    expect(headerText('Tea\r\nBcc: victim@example.com\t\u0000 set ')).toBe('Tea Bcc: victim@example.com set');
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

describe('retry backoff', () => {
  it('when tries fail, the delay doubles from the base and stops at the cap', () => {
    const schedule = { baseMs: 1000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, schedule))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(backoffDelay(500, { baseMs: 1000, maxMs: 300_000 })).toBe(300_000);
  });
});
