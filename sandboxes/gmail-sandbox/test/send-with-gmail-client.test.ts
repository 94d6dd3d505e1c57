import { describe, expect, it } from 'vitest';
import { base64url, buildMime, encodedWord, gmailClient, listMessages, withSandbox } from './helpers.ts';

// googleapis builds the /upload/ URL from the per-call rootUrl only: the client-level rootUrl
// rewrites the plain path but not the media path, which would still go to gmail.googleapis.com.
const mediaUploadOptions = (url: string) => ({ rootUrl: `${url}/` });

const receipt = {
  from: `${encodedWord('Café Shop')} <shop@example.com>`,
  to: `${encodedWord('Zoë Müller')} <zoe@example.com>`,
  subject: encodedWord('Ihre Bestellung – Quittung №42 ✓'),
  text: 'Danke für Ihre Bestellung.',
  html: '<p>Danke für Ihre <b>Bestellung</b>.</p>',
};

describe('sending through the real @googleapis/gmail client', () => {
  it('when a message is sent through the gmail client, it appears in the listing with its decoded subject, names and parts', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const res = await client.users.messages.send({
        userId: 'me',
        requestBody: { raw: base64url(buildMime(receipt)) },
      });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        threadId: res.data.id,
        labelIds: ['SENT'],
      });

      const [message, ...rest] = await listMessages(url);
      expect(rest).toEqual([]);
      expect(message).toMatchObject({
        id: res.data.id,
        threadId: res.data.id,
        from: '"Café Shop" <shop@example.com>',
        to: '"Zoë Müller" <zoe@example.com>',
        subject: 'Ihre Bestellung – Quittung №42 ✓',
        date: '2025-03-04T10:15:00.000Z',
        text: 'Danke für Ihre Bestellung.',
        html: '<p>Danke für Ihre <b>Bestellung</b>.</p>',
        labelIds: ['SENT'],
      });
      // Gmail gives a sent message its own Message-ID, whatever the client wrote.
      expect(message?.headers['message-id']).toMatch(/^<[\w-]+@mail\.gmail\.com>$/);
    });
  });

  it('when several messages are sent, the listing is newest first and ?to= keeps only that recipient', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      for (const to of ['a@example.com', 'B@Example.com', 'a@example.com']) {
        await client.users.messages.send({
          userId: 'me',
          requestBody: { raw: base64url(buildMime({ to, subject: `for ${to}`, text: 'x' })) },
        });
      }
      const all = await listMessages(url);
      expect(all.map((m) => m.to)).toEqual(['a@example.com', 'B@Example.com', 'a@example.com']);
      expect((await listMessages(url, '?to=b@example.com')).map((m) => m.subject)).toEqual([
        'for B@Example.com',
      ]);
      expect(await listMessages(url, '?to=a@example.com')).toHaveLength(2);
      expect(await listMessages(url, '?to=nobody@example.com')).toEqual([]);
    });
  });

  it('when a reply names the threadId of a stored message, it joins that thread; an unknown threadId starts a new one', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const raw = base64url(buildMime({ to: 'zoe@example.com', subject: 'Order 42', text: 'x' }));
      const first = await client.users.messages.send({ userId: 'me', requestBody: { raw } });
      const reply = await client.users.messages.send({
        userId: 'me',
        requestBody: { raw, threadId: first.data.threadId },
      });
      const stray = await client.users.messages.send({
        userId: 'me',
        requestBody: { raw, threadId: 'ffffffffffffffff' },
      });
      expect(reply.data.threadId).toBe(first.data.threadId);
      expect(stray.data.threadId).toBe(stray.data.id);
    });
  });

  it('when the message is sent as a media upload (message/rfc822), it is stored like a raw send', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const res = await client.users.messages.send(
        { userId: 'me', media: { mimeType: 'message/rfc822', body: buildMime(receipt) } },
        mediaUploadOptions(url),
      );
      expect(res.data.labelIds).toEqual(['SENT']);
      const [message] = await listMessages(url);
      expect(message).toMatchObject({ id: res.data.id, subject: 'Ihre Bestellung – Quittung №42 ✓' });
    });
  });

  it('when the media upload carries a Message resource too (multipart/related), the metadata threadId is honoured', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const first = await client.users.messages.send({
        userId: 'me',
        requestBody: { raw: base64url(buildMime(receipt)) },
      });
      const res = await client.users.messages.send(
        {
          userId: 'me',
          requestBody: { threadId: first.data.threadId },
          media: { mimeType: 'message/rfc822', body: buildMime({ ...receipt, subject: 'Re: receipt' }) },
        },
        mediaUploadOptions(url),
      );
      expect(res.data.threadId).toBe(first.data.threadId);
      const [latest] = await listMessages(url);
      expect(latest).toMatchObject({ id: res.data.id, subject: 'Re: receipt', html: receipt.html });
    });
  });
});
