import { describe, expect, it } from 'vitest';
import { gmailClient, withSandbox } from './helpers.ts';

const mime = (messageId: string) =>
  Buffer.from(
    [
      'From: Shop <no-reply@shop.local>',
      'To: ann@example.com',
      'Subject: Receipt',
      `Message-ID: <${messageId}>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Paid.',
    ].join('\r\n'),
  ).toString('base64url');

describe('users.messages.list with rfc822msgid', () => {
  it('when a message with that Message-ID was sent, the list finds exactly it', async () => {
    await withSandbox(async (sandbox) => {
      const client = gmailClient(sandbox.url);
      const sent = await client.users.messages.send({
        userId: 'me',
        requestBody: { raw: mime('n-1@shop.local') },
      });
      await client.users.messages.send({ userId: 'me', requestBody: { raw: mime('n-2@shop.local') } });
      const found = await client.users.messages.list({ userId: 'me', q: 'rfc822msgid:<n-1@shop.local>' });
      expect(found.data.messages?.map((m) => m.id)).toEqual([sent.data.id]);
      expect(found.data.resultSizeEstimate).toBe(1);
    });
  });

  it('when no message has that Message-ID, the list is empty', async () => {
    await withSandbox(async (sandbox) => {
      const client = gmailClient(sandbox.url);
      await client.users.messages.send({ userId: 'me', requestBody: { raw: mime('n-1@shop.local') } });
      const found = await client.users.messages.list({ userId: 'me', q: 'rfc822msgid:n-9@shop.local' });
      expect(found.data.messages).toBeUndefined();
      expect(found.data.resultSizeEstimate).toBe(0);
    });
  });

  it('when the caller has no valid access token, the list answers 401', async () => {
    await withSandbox(async (sandbox) => {
      const res = await fetch(`${sandbox.url}/gmail/v1/users/me/messages?q=rfc822msgid:x`);
      expect(res.status).toBe(401);
    });
  });
});
