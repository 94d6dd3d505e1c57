import { describe, expect, it } from 'vitest';
import {
  armFault,
  base64url,
  buildMime,
  gmailClient,
  listMessages,
  rejectionOf,
  withSandbox,
} from './helpers.ts';

const raw = base64url(buildMime({ to: 'zoe@example.com', subject: 'Receipt', text: 'x' }));

// The clients here use retry: false (see helpers.ts), so each send is one HTTP attempt and
// `count` maps one-to-one onto client calls. gaxios would not retry a POST by default either.
describe('fault controls', () => {
  it('when an error fault is armed for one send, the client call rejects with 503, nothing is stored, and the next send works', async () => {
    await withSandbox(async ({ url }) => {
      expect((await armFault(url, { mode: 'error', count: 1 })).status).toBe(201);
      const client = gmailClient(url);

      const error = await rejectionOf(client.users.messages.send({ userId: 'me', requestBody: { raw } }));
      expect(error.status).toBe(503);
      expect(error.response?.data).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });
      expect(await listMessages(url)).toEqual([]);

      const ok = await client.users.messages.send({ userId: 'me', requestBody: { raw } });
      expect((await listMessages(url)).map((m) => m.id)).toEqual([ok.data.id]);
    });
  });

  it('when an error fault names a status, sends answer that status until the count is used up', async () => {
    await withSandbox(async ({ url }) => {
      await armFault(url, { mode: 'error', count: 2, status: 500 });
      const client = gmailClient(url);
      for (let i = 0; i < 2; i += 1) {
        const error = await rejectionOf(client.users.messages.send({ userId: 'me', requestBody: { raw } }));
        expect(error.response?.data).toMatchObject({ error: { code: 500, status: 'INTERNAL' } });
      }
      await client.users.messages.send({ userId: 'me', requestBody: { raw } });
      expect(await listMessages(url)).toHaveLength(1);
    });
  });

  it('when invalid_grant is armed without a count, every token refresh rejects with invalid_grant until the faults are cleared', async () => {
    await withSandbox(async ({ url }) => {
      await armFault(url, { mode: 'invalid_grant' });
      for (let i = 0; i < 2; i += 1) {
        // A fresh client each time, so each call has to go to /token.
        const error = await rejectionOf(
          gmailClient(url).users.messages.send({ userId: 'me', requestBody: { raw } }),
        );
        expect(error.message).toBe('invalid_grant');
        expect(error.response).toMatchObject({
          status: 400,
          data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
        });
      }
      expect(await listMessages(url)).toEqual([]);

      expect((await fetch(`${url}/api/faults`, { method: 'DELETE' })).status).toBe(204);
      await gmailClient(url).users.messages.send({ userId: 'me', requestBody: { raw } });
      expect(await listMessages(url)).toHaveLength(1);
    });
  });

  it('when a slow fault is armed, the send still succeeds after the delay and is stored', async () => {
    await withSandbox(async ({ url }) => {
      await armFault(url, { mode: 'slow', count: 1, delay_ms: 50 });
      const faults = (await (await fetch(`${url}/api/faults`)).json()) as { faults: unknown[] };
      expect(faults.faults).toEqual([{ mode: 'slow', remaining: 1, delay_ms: 50 }]);
      const res = await gmailClient(url).users.messages.send({ userId: 'me', requestBody: { raw } });
      expect(res.status).toBe(200);
      expect(await listMessages(url)).toHaveLength(1);
      expect(((await (await fetch(`${url}/api/faults`)).json()) as { faults: unknown[] }).faults).toEqual([]);
    });
  });

  it('when a slow send outlasts the client timeout, the client call rejects', async () => {
    await withSandbox(async ({ url }) => {
      await armFault(url, { mode: 'slow', count: 1, delay_ms: 300 });
      const client = gmailClient(url);
      const error = await rejectionOf(
        client.users.messages.send({ userId: 'me', requestBody: { raw } }, { timeout: 50 }),
      );
      expect(error.message).toMatch(/timeout|abort/i);
    });
  });

  it('when the fault request is malformed, it answers 400 validation_failed naming the bad fields', async () => {
    await withSandbox(async ({ url }) => {
      const res = await armFault(url, { mode: 'explode', count: -1 });
      expect(res.status).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; message: string; fields: { path: string }[] };
      };
      expect(body.error).toMatchObject({ code: 'validation_failed', message: 'Invalid fault request' });
      expect(body.error.fields.map((f) => f.path).sort()).toEqual(['count', 'mode']);
    });
  });

  it('when an error fault is armed without a status or delay, it answers 201 with the default 503 and no delay', async () => {
    await withSandbox(async ({ url }) => {
      const res = await armFault(url, { mode: 'error', count: 1 });
      expect(res.status).toBe(201);
      const expected = { mode: 'error', remaining: 1, status: 503 };
      expect(await res.json()).toEqual({ fault: expected, faults: [expected] });
    });
  });
});
