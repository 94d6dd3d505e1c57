import { describe, expect, it } from 'vitest';
import { SCOPES } from '../src/index.ts';
import {
  armFault,
  base64url,
  buildMime,
  gmailClient,
  grantScopes,
  listMessages,
  rejectionOf,
  withSandbox,
} from './helpers.ts';

const raw = (from: string) => base64url(buildMime({ from, to: 'zoe@example.com', subject: 'Hi', text: 'x' }));

describe('what Gmail enforces, the sandbox enforces', () => {
  it('when a token granted only gmail.send lists messages, it answers 403 insufficientPermissions, as Gmail does', async () => {
    await withSandbox(async ({ url }) => {
      await grantScopes(url, 'send-only', [SCOPES.send]);
      const client = gmailClient(url, { refresh_token: 'send-only' });
      await client.users.messages.send({ userId: 'me', requestBody: { raw: raw('shop@example.com') } });

      const error = await rejectionOf(client.users.messages.list({ userId: 'me', q: 'rfc822msgid:x@y' }));
      expect(error.status).toBe(403);
      expect(error.response?.data).toMatchObject({
        error: { code: 403, status: 'PERMISSION_DENIED', errors: [{ reason: 'insufficientPermissions' }] },
      });
    });
  });

  it('when a token granted only gmail.send creates a draft or lists send-as aliases, both answer 403', async () => {
    await withSandbox(async ({ url }) => {
      await grantScopes(url, 'send-only', [SCOPES.send]);
      const client = gmailClient(url, { refresh_token: 'send-only' });
      const draft = await rejectionOf(
        client.users.drafts.create({
          userId: 'me',
          requestBody: { message: { raw: raw('shop@example.com') } },
        }),
      );
      const sendAs = await rejectionOf(client.users.settings.sendAs.list({ userId: 'me' }));
      expect([draft.status, sendAs.status]).toEqual([403, 403]);
    });
  });

  it('when the refresh token is one Google never issued, the token endpoint answers invalid_grant', async () => {
    await withSandbox(async ({ url }) => {
      const error = await rejectionOf(
        gmailClient(url, { refresh_token: 'made-up' }).users.messages.send({
          userId: 'me',
          requestBody: { raw: raw('shop@example.com') },
        }),
      );
      expect(error.message).toBe('invalid_grant');
      expect(await listMessages(url)).toEqual([]);
    });
  });

  it('when the From is neither the account nor a verified alias, the sent mail is From the account; an alias is kept', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      await client.users.messages.send({
        userId: 'me',
        requestBody: { raw: raw('Shop <spoof@elsewhere.example>') },
      });
      await client.users.messages.send({
        userId: 'me',
        requestBody: { raw: raw('Billing <billing@example.com>') },
      });
      const froms = (await listMessages(url)).map((m) => m.from);
      expect(froms).toEqual(['"Billing" <billing@example.com>', '"Shop" <shop@example.com>']);
    });
  });

  it("when the client sets a Message-ID, the sent mail carries Gmail's own instead, so a search for the client's finds nothing", async () => {
    await withSandbox(async ({ url }) => {
      await grantScopes(url, 'reader', [SCOPES.send, SCOPES.readonly]);
      const client = gmailClient(url, { refresh_token: 'reader' });
      await client.users.messages.send({ userId: 'me', requestBody: { raw: raw('shop@example.com') } });
      const [sent] = await listMessages(url);
      expect(sent?.headers['message-id']).not.toBe('<test-1@shop.example>');

      const byClientId = await client.users.messages.list({
        userId: 'me',
        q: 'rfc822msgid:test-1@shop.example',
      });
      expect(byClientId.data).toEqual({ resultSizeEstimate: 0 });
      const byGmailId = await client.users.messages.list({
        userId: 'me',
        q: `rfc822msgid:${sent?.headers['message-id']}`,
      });
      expect(byGmailId.data.messages?.map((m) => m.id)).toEqual([sent?.id]);
    });
  });
});

describe('drafts', () => {
  it('when a draft is sent, the answer is a new SENT message, the draft is gone (get and a second send answer 404) and one mail went out', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const draft = await client.users.drafts.create({
        userId: 'me',
        requestBody: { message: { raw: raw('shop@example.com') } },
      });
      expect(draft.data.message?.labelIds).toEqual(['DRAFT']);
      expect((await client.users.drafts.get({ userId: 'me', id: draft.data.id! })).data.id).toBe(
        draft.data.id,
      );
      expect(await listMessages(url)).toEqual([]);

      const sent = await client.users.drafts.send({ userId: 'me', requestBody: { id: draft.data.id! } });
      expect(sent.data.labelIds).toEqual(['SENT']);
      expect(sent.data.id).not.toBe(draft.data.message?.id);

      const get = await rejectionOf(client.users.drafts.get({ userId: 'me', id: draft.data.id! }));
      const again = await rejectionOf(
        client.users.drafts.send({ userId: 'me', requestBody: { id: draft.data.id! } }),
      );
      expect([get.status, again.status]).toEqual([404, 404]);
      expect((await listMessages(url)).map((m) => m.id)).toEqual([sent.data.id]);
    });
  });

  it('when drafts.send fails with a 503, the draft stays and nothing is sent', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      const draft = await client.users.drafts.create({
        userId: 'me',
        requestBody: { message: { raw: raw('shop@example.com') } },
      });
      await armFault(url, { mode: 'error', status: 503, count: 1, operation: 'drafts.send' });
      const error = await rejectionOf(
        client.users.drafts.send({ userId: 'me', requestBody: { id: draft.data.id! } }),
      );
      expect(error.status).toBe(503);
      expect((await client.users.drafts.get({ userId: 'me', id: draft.data.id! })).status).toBe(200);
      expect(await listMessages(url)).toEqual([]);
    });
  });
});

describe('quota faults', () => {
  it.each([
    ['userRateLimitExceeded', 403],
    ['dailyLimitExceeded', 403],
    ['rateLimitExceeded', 429],
  ])(
    'when a %s fault is armed, the call answers %i in the usageLimits domain with Retry-After',
    async (reason, status) => {
      await withSandbox(async ({ url }) => {
        await armFault(url, { mode: 'error', status, reason, retry_after_s: 120, count: 1 });
        const error = await rejectionOf(
          gmailClient(url).users.messages.send({
            userId: 'me',
            requestBody: { raw: raw('shop@example.com') },
          }),
        );
        expect(error.status).toBe(status);
        expect(error.response?.data).toMatchObject({
          error: { errors: [{ domain: 'usageLimits', reason }] },
        });
        expect((error.response as { headers?: Headers } | undefined)?.headers?.get('retry-after')).toBe(
          '120',
        );
      });
    },
  );

  it('when a fault names an operation, other methods are not hit by it', async () => {
    await withSandbox(async ({ url }) => {
      await armFault(url, {
        mode: 'error',
        status: 403,
        reason: 'insufficientPermissions',
        operation: 'drafts.get',
      });
      const client = gmailClient(url);
      const draft = await client.users.drafts.create({
        userId: 'me',
        requestBody: { message: { raw: raw('shop@example.com') } },
      });
      expect((await rejectionOf(client.users.drafts.get({ userId: 'me', id: draft.data.id! }))).status).toBe(
        403,
      );
      await client.users.drafts.send({ userId: 'me', requestBody: { id: draft.data.id! } });
      expect(await listMessages(url)).toHaveLength(1);
    });
  });
});
