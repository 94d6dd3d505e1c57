import type { gmail_v1 } from '@googleapis/gmail';
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../src/index.ts';
import { base64url, buildMime, gmailClient, grantScopes, withSandbox } from './helpers.ts';

// The sandbox's answers against the discovery-generated types of @googleapis/gmail: the key lists
// below are checked by the compiler to be fields of each schema (`satisfies`), and each answer is
// checked at run time to have only such fields, with the ones Gmail always sends present.
const MESSAGE_KEYS = [
  'id',
  'threadId',
  'labelIds',
] as const satisfies readonly (keyof gmail_v1.Schema$Message)[];
const DRAFT_KEYS = ['id', 'message'] as const satisfies readonly (keyof gmail_v1.Schema$Draft)[];
const SEND_AS_KEYS = [
  'sendAsEmail',
  'displayName',
  'replyToAddress',
  'isPrimary',
  'isDefault',
  'treatAsAlias',
  'verificationStatus',
] as const satisfies readonly (keyof gmail_v1.Schema$SendAs)[];
const LIST_KEYS = [
  'messages',
  'resultSizeEstimate',
] as const satisfies readonly (keyof gmail_v1.Schema$ListMessagesResponse)[];

function expectShape(value: unknown, allowed: readonly string[], required: readonly string[]) {
  const keys = Object.keys(value as object);
  expect(
    keys.filter((k) => !allowed.includes(k)),
    'fields Gmail does not have',
  ).toEqual([]);
  expect(
    required.filter((k) => !keys.includes(k)),
    'fields Gmail always sends',
  ).toEqual([]);
}

const expectMessage = (m: gmail_v1.Schema$Message | undefined) => {
  expectShape(m, MESSAGE_KEYS, MESSAGE_KEYS);
  expect(m?.id).toMatch(/^[0-9a-f]{16}$/);
};

const raw = base64url(
  buildMime({ from: 'shop@example.com', to: 'zoe@example.com', subject: 'Hi', text: 'x' }),
);

describe('conformance with the @googleapis/gmail types', () => {
  it('when each method the notification-service uses is called, its answer has only fields of the Gmail schema and the ones Gmail always sends', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);

      const sent = await client.users.messages.send({ userId: 'me', requestBody: { raw } });
      expectMessage(sent.data);

      const draft = await client.users.drafts.create({ userId: 'me', requestBody: { message: { raw } } });
      expectShape(draft.data, DRAFT_KEYS, DRAFT_KEYS);
      expectMessage(draft.data.message);
      const got = await client.users.drafts.get({ userId: 'me', id: draft.data.id! });
      expectShape(got.data, DRAFT_KEYS, DRAFT_KEYS);
      const fromDraft = await client.users.drafts.send({ userId: 'me', requestBody: { id: draft.data.id! } });
      expectMessage(fromDraft.data);

      const sendAs = await client.users.settings.sendAs.list({ userId: 'me' });
      expectShape(sendAs.data, ['sendAs'], ['sendAs']);
      for (const entry of sendAs.data.sendAs ?? []) {
        expectShape(entry, SEND_AS_KEYS, ['sendAsEmail', 'isPrimary']);
      }
      expect(sendAs.data.sendAs?.filter((e) => e.isPrimary).map((e) => e.sendAsEmail)).toEqual([
        'shop@example.com',
      ]);
      expect(sendAs.data.sendAs?.filter((e) => !e.isPrimary).map((e) => e.verificationStatus)).toEqual([
        'accepted',
      ]);
    });
  });

  it('when messages.list answers, found or empty, it has only ListMessagesResponse fields', async () => {
    await withSandbox(async ({ url }) => {
      const client = gmailClient(url);
      await grantScopes(url, 'reader', [SCOPES.readonly, SCOPES.send]);
      const reader = gmailClient(url, { refresh_token: 'reader' });
      expectShape(
        (await reader.users.messages.list({ userId: 'me', q: 'rfc822msgid:none@x' })).data,
        LIST_KEYS,
        ['resultSizeEstimate'],
      );
      await client.users.messages.send({ userId: 'me', requestBody: { raw } });
      const all = (await reader.users.messages.list({ userId: 'me' })).data;
      expectShape(all, LIST_KEYS, LIST_KEYS);
      for (const m of all.messages ?? []) expectShape(m, ['id', 'threadId'], ['id', 'threadId']);
    });
  });
});
