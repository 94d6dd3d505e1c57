import { describe, expect, it } from 'vitest';
import { base64url, buildMime, encodedWord, gmailClient, withSandbox } from './helpers.ts';

describe('web inbox page', () => {
  it('when a message with markup in its subject, names and HTML is sent, the inbox shows it with every value escaped', async () => {
    await withSandbox(async ({ url }) => {
      const mime = buildMime({
        from: `${encodedWord('Évil <img src=x onerror=alert(1)>')} <shop@example.com>`,
        to: 'zoe@example.com',
        subject: encodedWord('<script>alert("subject")</script> Grüße'),
        text: 'Plain </pre><script>alert(2)</script>',
        html: '<p class="x">Hello & <b>welcome</b></p><script>alert(3)</script>',
      });
      await gmailClient(url).users.messages.send({ userId: 'me', requestBody: { raw: base64url(mime) } });

      const res = await fetch(`${url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
      const page = await res.text();

      expect(page).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt; Grüße');
      expect(page).toContain('Évil &lt;img src=x onerror=alert(1)&gt;');
      expect(page).toContain('Plain &lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      // The HTML part is rendered only inside a sandboxed iframe, as an escaped srcdoc attribute.
      expect(page).toContain(
        '<iframe sandbox="" title="HTML part" srcdoc="&lt;p class=&quot;x&quot;&gt;Hello &amp; &lt;b&gt;welcome&lt;/b&gt;&lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt;">',
      );
      expect(page).not.toMatch(/<script>alert|<img src=x/);
      // The page's own script is the only script element, and it carries the CSP nonce.
      expect(page.match(/<script/g)).toHaveLength(1);
      expect(page).toMatch(/<script nonce="[A-Za-z0-9+/=]+">/);
      expect(page).not.toMatch(/<link|src="http/);
    });
  });

  it('when there are no messages, the inbox says so', async () => {
    await withSandbox(async ({ url }) => {
      const page = await (await fetch(`${url}/`)).text();
      expect(page).toContain('No messages yet.');
    });
  });

  it('when ?id= names a message, that message is the one shown in full', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const first = await client.users.messages.send({
        userId: 'me',
        requestBody: {
          raw: base64url(buildMime({ to: 'a@example.com', subject: 'First', text: 'first body' })),
        },
      });
      await client.users.messages.send({
        userId: 'me',
        requestBody: {
          raw: base64url(buildMime({ to: 'b@example.com', subject: 'Second', text: 'second body' })),
        },
      });
      const newest = await (await fetch(`${url}/`)).text();
      expect(newest).toContain('second body');
      expect(newest).not.toContain('first body');
      const selected = await (await fetch(`${url}/?id=${first.data.id}`)).text();
      expect(selected).toContain('first body');
      expect(selected).toContain(`<a class="selected" href="?id=${first.data.id}">`);
    });
  });
});
