import { describe, expect, it } from 'vitest';
import { base64url, buildMime, gmailClient, withSandbox } from './helpers.ts';
import { startRecordingProxy } from './recording-proxy.ts';

// Pins down what @googleapis/gmail 18 (googleapis-common 8, google-auth-library 10, gaxios 7)
// actually sends, so the sandbox's routes and parsers are checked against the real thing.
describe('what the gmail client puts on the wire', () => {
  it('when the client sends with a refresh token, it first posts a form-encoded refresh grant to /token, then the JSON {raw} with a Bearer token', async () => {
    await withSandbox(async (sandbox) => {
      const proxy = await startRecordingProxy(sandbox.url);
      try {
        const raw = base64url(buildMime({ to: 'zoe@example.com', subject: 'Hi', text: 'x' }));
        await gmailClient(proxy.url).users.messages.send({ userId: 'me', requestBody: { raw } });

        const [token, send, ...rest] = proxy.requests;
        expect(rest).toEqual([]);
        expect(token).toMatchObject({ method: 'POST', url: '/token' });
        expect(token?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
        expect(Object.fromEntries(new URLSearchParams(token?.body.toString()))).toEqual({
          refresh_token: 'sandbox-refresh-token',
          client_id: 'sandbox-client-id',
          client_secret: 'sandbox-client-secret',
          grant_type: 'refresh_token',
        });

        expect(send).toMatchObject({ method: 'POST', url: '/gmail/v1/users/me/messages/send' });
        expect(send?.headers['content-type']).toMatch(/^application\/json/);
        expect(send?.headers.authorization).toMatch(/^Bearer ya29\.sandbox-/);
        expect(send?.headers['x-goog-api-client']).toMatch(/^gdcl\/\S+ gl-node\//);
        expect(send?.headers['user-agent']).toMatch(/google-api-nodejs-client\//);
        expect(JSON.parse(send?.body.toString() ?? '')).toEqual({ raw });
      } finally {
        await proxy.close();
      }
    });
  });

  it('when the client sends media, it posts message/rfc822 to /upload/...?uploadType=media, or multipart/related with the resource first', async () => {
    await withSandbox(async (sandbox) => {
      const proxy = await startRecordingProxy(sandbox.url);
      try {
        const client = gmailClient(proxy.url);
        const mime = buildMime({ to: 'zoe@example.com', subject: 'Hi', text: 'x' });
        const options = { rootUrl: `${proxy.url}/` };
        await client.users.messages.send(
          { userId: 'me', media: { mimeType: 'message/rfc822', body: mime } },
          options,
        );
        await client.users.messages.send(
          { userId: 'me', requestBody: {}, media: { mimeType: 'message/rfc822', body: mime } },
          options,
        );

        const [, media, multipart] = proxy.requests;
        expect(media).toMatchObject({
          method: 'POST',
          url: '/upload/gmail/v1/users/me/messages/send?uploadType=media',
        });
        expect(media?.headers['content-type']).toBe('message/rfc822');
        expect(media?.body.toString()).toBe(mime);

        expect(multipart?.url).toBe('/upload/gmail/v1/users/me/messages/send?uploadType=multipart');
        const boundary = /^multipart\/related; boundary=(\S+)$/.exec(
          multipart?.headers['content-type'] ?? '',
        )?.[1];
        expect(boundary).toBeDefined();
        expect(multipart?.body.toString()).toContain(
          `--${boundary}\r\ncontent-type: application/json\r\n\r\n{}\r\n--${boundary}\r\ncontent-type: message/rfc822\r\n\r\n${mime}`,
        );
      } finally {
        await proxy.close();
      }
    });
  });
});
