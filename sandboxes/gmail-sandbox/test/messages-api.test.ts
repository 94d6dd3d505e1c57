import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { base64url, buildMime, gmailClient, listMessages, rejectionOf, withSandbox } from './helpers.ts';

const mime = buildMime({ to: 'zoe@example.com', subject: 'Receipt', text: 'Thanks' });

async function accessToken(url: string): Promise<string> {
  const res = await request(url).post('/token').type('form').send({
    grant_type: 'refresh_token',
    client_id: 'id',
    client_secret: 's',
    refresh_token: 'sandbox-refresh-token',
  });
  return (res.body as { access_token: string }).access_token;
}

describe('send validation', () => {
  it('when the message has no recipient, the client call rejects with 400 "Recipient address required" and nothing is stored', async () => {
    await withSandbox(async ({ url }) => {
      const raw = base64url(buildMime({ from: 'shop@example.com', subject: 'No To', text: 'x' }));
      const error = await rejectionOf(
        gmailClient(url).users.messages.send({ userId: 'me', requestBody: { raw } }),
      );
      expect(error.status).toBe(400);
      expect(error.message).toBe('Recipient address required');
      expect(error.response?.data).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
      expect(await listMessages(url)).toEqual([]);
    });
  });

  it.each([
    ['raw is missing', {}, "'raw' RFC822 payload"],
    ['raw is empty', { raw: '' }, "'raw' RFC822 payload"],
    ['raw is not base64', { raw: 'not base64!' }, 'Base64 decoding failed'],
    ['raw is not a string', { raw: 42 }, 'Base64 decoding failed'],
  ])('when %s, the send answers 400 INVALID_ARGUMENT', async (_situation, body, message) => {
    await withSandbox(async ({ url }) => {
      const res = await request(url)
        .post('/gmail/v1/users/me/messages/send')
        .auth(await accessToken(url), { type: 'bearer' })
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(res.body.error.message).toContain(message);
    });
  });

  it('when raw uses the standard base64 alphabet with padding, it is accepted as Gmail does', async () => {
    await withSandbox(async ({ url }) => {
      const res = await request(url)
        .post('/gmail/v1/users/me/messages/send')
        .auth(await accessToken(url), { type: 'bearer' })
        .send({ raw: Buffer.from(mime).toString('base64') });
      expect(res.status).toBe(200);
    });
  });

  it('when the JSON body is malformed, the send answers 400 in Google\u2019s error shape', async () => {
    await withSandbox(async ({ url }) => {
      const res = await request(url)
        .post('/gmail/v1/users/me/messages/send')
        .auth(await accessToken(url), { type: 'bearer' })
        .type('json')
        .send('{"raw":');
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    });
  });
});

describe('message listing API', () => {
  it('when a message is fetched by id, it comes back decoded, and ?format=raw returns the MIME as Gmail sent it: the client’s body, From and Message-ID as Gmail sets them', async () => {
    await withSandbox(async ({ url }) => {
      const sent = await gmailClient(url).users.messages.send({
        userId: 'me',
        requestBody: { raw: base64url(mime) },
      });
      const one = await request(url).get(`/api/messages/${sent.data.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        id: sent.data.id,
        subject: 'Receipt',
        to: 'zoe@example.com',
        text: 'Thanks',
      });
      expect(one.body).not.toHaveProperty('raw');

      const raw = await fetch(`${url}/api/messages/${sent.data.id}?format=raw`);
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toMatch(/^message\/rfc822/);
      const sentMime = await raw.text();
      const body = mime.slice(mime.indexOf('\r\n\r\n'));
      expect(sentMime.endsWith(body)).toBe(true);
      expect(sentMime).toMatch(/^From: shop@example\.com\r\n/);
      expect(sentMime).toMatch(/\r\nMessage-ID: <[\w-]+@mail\.gmail\.com>\r\n\r\n/);
    });
  });

  it('when the id is unknown, it answers 404', async () => {
    await withSandbox(async ({ url }) => {
      expect((await request(url).get('/api/messages/0000000000000000')).status).toBe(404);
    });
  });

  it('when DELETE /api/messages is called, the listing is empty afterwards', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      await client.users.messages.send({ userId: 'me', requestBody: { raw: base64url(mime) } });
      await client.users.messages.send({ userId: 'me', requestBody: { raw: base64url(mime) } });
      expect(await listMessages(url)).toHaveLength(2);
      expect((await request(url).delete('/api/messages')).status).toBe(204);
      expect(await listMessages(url)).toEqual([]);
    });
  });
});
