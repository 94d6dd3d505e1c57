import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { base64url, buildMime, gmailClient, listMessages, rejectionOf, withSandbox } from './helpers.ts';

const raw = base64url(buildMime({ to: 'zoe@example.com', subject: 'Hi', text: 'x' }));

describe('token endpoint', () => {
  it('when a refresh grant has every field, it answers a Bearer access token for 3599 seconds', async () => {
    await withSandbox(async ({ url }) => {
      const res = await request(url).post('/token').type('form').send({
        grant_type: 'refresh_token',
        client_id: 'id',
        client_secret: 'secret',
        refresh_token: 'sandbox-refresh-token',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^ya29\./),
        expires_in: 3599,
        token_type: 'Bearer',
        scope:
          'https://www.googleapis.com/auth/gmail.compose https://www.googleapis.com/auth/gmail.settings.basic',
      });
    });
  });

  it.each([
    ['grant_type', { client_id: 'id', client_secret: 's', refresh_token: 'sandbox-refresh-token' }],
    [
      'client_id',
      { grant_type: 'refresh_token', client_secret: 's', refresh_token: 'sandbox-refresh-token' },
    ],
    [
      'client_secret',
      { grant_type: 'refresh_token', client_id: 'id', refresh_token: 'sandbox-refresh-token' },
    ],
    ['refresh_token', { grant_type: 'refresh_token', client_id: 'id', client_secret: 's' }],
  ])('when %s is missing, it answers 400 invalid_request naming it', async (missing, form) => {
    await withSandbox(async ({ url }) => {
      const res = await request(url).post('/token').type('form').send(form);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: expect.stringContaining(missing),
      });
    });
  });

  it('when the grant type is not refresh_token, it answers 400 unsupported_grant_type', async () => {
    await withSandbox(async ({ url }) => {
      const res = await request(url)
        .post('/token')
        .type('form')
        .send({ grant_type: 'password', client_id: 'id', client_secret: 's' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'Invalid grant_type: password',
      });
    });
  });

  it('when the client credentials come as HTTP Basic, the grant is accepted', async () => {
    await withSandbox(async ({ url }) => {
      const res = await request(url)
        .post('/token')
        .auth('id', 'secret')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: 'sandbox-refresh-token' });
      expect(res.status).toBe(200);
    });
  });
});

describe('send authentication', () => {
  it('when the gmail client holds an access token the sandbox never issued and no refresh token, the send rejects with 401 UNAUTHENTICATED and nothing is stored', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url, { access_token: 'ya29.not-from-this-sandbox' });
      const error = await rejectionOf(client.users.messages.send({ userId: 'me', requestBody: { raw } }));
      expect(error.status).toBe(401);
      expect(error.response?.data).toMatchObject({
        error: {
          code: 401,
          status: 'UNAUTHENTICATED',
          errors: [{ reason: 'authError', message: 'Invalid Credentials' }],
        },
      });
      expect(await listMessages(url)).toEqual([]);
    });
  });

  it('when the gmail client holds a stale access token and a refresh token, it refreshes at /token after the 401 and the send succeeds', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url, { access_token: 'ya29.stale', refresh_token: 'sandbox-refresh-token' });
      const res = await client.users.messages.send({ userId: 'me', requestBody: { raw } });
      expect(res.status).toBe(200);
      expect(await listMessages(url)).toHaveLength(1);
    });
  });

  it('when a send has no Authorization header, it answers 401 with Google\u2019s error shape', async () => {
    await withSandbox(async ({ url }) => {
      const res = await request(url).post('/gmail/v1/users/me/messages/send').send({ raw });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body.error).toMatchObject({
        code: 401,
        status: 'UNAUTHENTICATED',
        errors: [{ reason: 'authError' }],
      });
    });
  });
});
