import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime, type Envelope } from '../src/domain/composeMime.ts';
import type { MailContent } from '../src/domain/templates.ts';
import { nodemailerMime } from './support/nodemailerMime.ts';

function addresses(value: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) =>
    a.value.map(({ name, address }) => ({ name, address })),
  );
}

function decoded(mail: ParsedMail) {
  return {
    from: addresses(mail.from),
    to: addresses(mail.to),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: mail.date?.toISOString(),
  };
}

const envelope = (from: string, name: string, address = 'ana@example.com'): Envelope => ({
  notificationId: '0190f3a2-7c1e-7b2a-9f00-1234567890ab',
  from,
  to: { name, address },
  date: new Date('2026-11-26T19:20:07.000Z'),
});
const content = (subject: string, text = 'Hello', html = '<p>Hello</p>'): MailContent => ({
  subject,
  text,
  html,
});

const LONG_LINE = 'x'.repeat(300);
const CASES: [string, Envelope, MailContent][] = [
  ['plain ASCII', envelope('Shop <no-reply@shop.local>', 'ana_1'), content('Welcome to the shop!')],
  [
    'a bare sender and no name',
    envelope('no-reply@shop.local', ''),
    content('Your receipt for order 0190f3a2'),
  ],
  ['a quoted sender name with a comma', envelope('"Shop, Inc." <shop@example.com>', 'a.b'), content('Hi')],
  ['a name with quotes and a backslash', envelope('Shop <s@x.io>', 'say "hi" \\ bye'), content('Hi')],
  ['a non-ASCII name and sender', envelope('Tienda Añil <t@x.es>', 'José Müller'), content('¡Hola!')],
  ['emoji and CJK', envelope('Shop <s@x.io>', '王小明🙂'.repeat(6)), content('ご注文 🎉 '.repeat(12))],
  ['a long ASCII subject', envelope('Shop <s@x.io>', 'ana'), content(`Subject ${'word '.repeat(40)}end`)],
  [
    'bodies with non-ASCII, long lines and CRLF',
    envelope('Shop <s@x.io>', 'ana'),
    content('Receipt', `Total: 12,50 €\r\n${LONG_LINE}\r\nDanke`, `<p>Straße &amp; ${LONG_LINE}</p>`),
  ],
];

describe('the hand-built MIME message', () => {
  it.each(CASES)(
    'with %s, a mail reader decodes the same as from the nodemailer message it replaced',
    async (_, env, mail) => {
      const ours = await simpleParser(await composeMime(env, mail));
      const theirs = await simpleParser(await nodemailerMime(env, mail));
      expect(decoded(ours)).toEqual(decoded(theirs));
      expect(ours.messageId).toBe(
        '<0190f3a2-7c1e-7b2a-9f00-1234567890ab@' + env.from.split('@')[1]!.replace('>', '') + '>',
      );
    },
  );

  it('keeps every line at most 78 characters and ends lines with CRLF only', async () => {
    const [, env, mail] = CASES.find(([name]) => name === 'emoji and CJK')!;
    const raw = (await composeMime(env, { ...mail, text: LONG_LINE, html: LONG_LINE })).toString('utf8');
    const lines = raw.split('\r\n');
    expect(raw.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(78);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;\r\n boundary="[^"]+"\r\n/);
    expect(raw).toContain('\r\nMIME-Version: 1.0\r\n');
  });

  it('a name or subject that looks like an encoded word is shown as written, not decoded (nodemailer let the reader decode it)', async () => {
    const looksEncoded = '=?UTF-8?B?SGk=?=';
    const mail = await simpleParser(
      await composeMime(envelope('Shop <s@x.io>', looksEncoded), content(looksEncoded)),
    );
    expect(mail.subject).toBe(looksEncoded);
    expect(addresses(mail.to)[0]?.name).toBe(looksEncoded);
  });

  it('refuses an address that would break the header (a line break, brackets or no @), before any mail is built', async () => {
    for (const address of [
      'ana@example.com\r\nBcc: all@example.com',
      'ana <x>@example.com',
      'ana.example.com',
    ]) {
      await expect(composeMime(envelope('Shop <s@x.io>', 'ana', address), content('Hi'))).rejects.toThrow(
        /not a mail address/,
      );
    }
  });

  it('a display name with a line break cannot add a header: it is carried inside an encoded word', async () => {
    const raw = (
      await composeMime(envelope('Shop <s@x.io>', 'ana\r\nBcc: all@example.com'), content('Hi'))
    ).toString();
    expect(raw).not.toMatch(/^Bcc:/m);
    const mail = await simpleParser(raw);
    expect(mail.bcc).toBeUndefined();
    expect(addresses(mail.to)[0]?.address).toBe('ana@example.com');
  });
});
