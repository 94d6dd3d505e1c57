import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyToken } from '@shop/shared';
import { testAuthKeys } from '@shop/shared/testing';
import { newUser, refusedUrl, useRecordedService, waitFor } from './helpers.ts';

const start = useRecordedService();

describe('verification mail after registration', () => {
  it('when a user registers, the notification-service is asked for a verification mail (not a welcome) with a service token, and its link and code are never logged', async () => {
    const built = await start();
    const { recorder } = built;
    const res = await request(built.app).post('/api/user').set('x-request-id', 'reg-1').send(newUser());
    expect(res.status).toBe(201);
    await waitFor(() => recorder.received.length > 0);
    const [call] = recorder.received;
    expect(call?.body).toEqual({
      user_id: res.body.id,
      type: 'email_verification',
      reference: expect.any(String),
      action: {
        url: expect.stringMatching(/\/verify-email#token=[\w-]{43}$/),
        code: expect.stringMatching(/^\d{6}$/),
      },
    });
    expect(res.body.email_verified).toBe(false);
    const serviceToken = call?.authorization?.replace(/^Bearer /, '') ?? '';
    expect(verifyToken(testAuthKeys('notification-service'), serviceToken)).toEqual({
      kind: 'service',
      service: 'user-service',
    });
    expect(call?.requestId).toBe('reg-1');
    await waitFor(() => built.lines.some((l) => l.includes('mail requested')));
    const { action } = call?.body as { action: { url: string; code: string } };
    const token = new URL(action.url).hash.slice('#token='.length);
    expect(built.lines.join('\n')).not.toContain(token);
    expect(built.lines.join('\n')).not.toContain(action.code);
  });

  it('when the notification-service does not answer, 201 comes back while the mail call is still open', async () => {
    const built = await start({}, 'hang');
    const { recorder } = built;
    const res = await request(built.app).post('/api/user').send(newUser());
    expect(res.status).toBe(201);
    await waitFor(() => recorder.received.length === 1);
    expect(recorder.pending).toHaveLength(1);
    expect(recorder.pending[0]?.headersSent).toBe(false);
  });

  it('when the notification-service does not answer within WELCOME_MAIL_TIMEOUT_MS, the call is given up once and a warning is logged', async () => {
    const built = await start({ WELCOME_MAIL_TIMEOUT_MS: 200 }, 'hang');
    const { recorder } = built;
    const res = await request(built.app).post('/api/user').send(newUser());
    expect(res.status).toBe(201);
    await waitFor(() => built.lines.some((l) => l.includes('mail request failed')));
    expect(recorder.received).toHaveLength(1);
  });

  it('when nothing listens at NOTIFICATION_SERVICE_URL, registration still answers 201 and a warning is logged', async () => {
    // The stand-in is not called: the variable points the service elsewhere.
    const built = await start({ NOTIFICATION_SERVICE_URL: await refusedUrl() });
    const res = await request(built.app).post('/api/user').send(newUser());
    expect(res.status).toBe(201);
    await waitFor(() => built.lines.some((l) => l.includes('mail request failed')));
    const warning = JSON.parse(built.lines.find((l) => l.includes('mail request failed')) ?? '{}');
    expect(warning).toMatchObject({ level: 'warn', user_id: res.body.id });
    expect(JSON.stringify(warning)).not.toMatch(/Bearer|eyJ/);
  });

  it('when the registration is refused, no verification mail is asked for', async () => {
    const built = await start();
    const { recorder } = built;
    const details = newUser();
    await request(built.app).post('/api/user').send(details);
    await waitFor(() => recorder.received.length === 1);
    const duplicate = await request(built.app)
      .post('/api/user')
      .send({ ...details, username: 'someone-else' });
    expect(duplicate.status).toBe(409);
    // A canary registration after the refused one: once its call arrives, any call for the 409 would have too.
    const canary = await request(built.app).post('/api/user').send(newUser());
    await waitFor(() => recorder.received.length >= 2);
    expect(recorder.received.map((r) => (r.body as { user_id: string }).user_id)).toEqual([
      expect.any(String),
      canary.body.id,
    ]);
  });
});
