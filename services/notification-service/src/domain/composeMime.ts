import type { MailContent } from './templates.ts';

/**
 * A Message-ID in the sender's own domain (RFC 5322 wants it globally unique; a domain one does
 * not own is not). Gmail may replace it on sending, so nothing relies on it: a retry is checked
 * by the mail's Gmail draft instead.
 */
export function messageIdFor(notificationId: string, from: string): string {
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${notificationId}@${domain}>`;
}

export interface Envelope {
  notificationId: string;
  from: string;
  to: { name: string; address: string };
  date: Date;
}

const CRLF = '\r\n';
/** Printable ASCII, and a display name that needs no quoting (RFC 5322 atext and spaces). */
const PRINTABLE = /^[\x20-\x7e]*$/;
const ATOMS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;
/** What a header may carry as an address: no white space, no angle brackets, one @, ASCII only. */
const ADDRESS = /^[\x21-\x7e]+$/;
/**
 * Bytes per RFC 2047 word: 39 bytes are 52 base64 characters, 64 with `=?UTF-8?B?...?=`, so even
 * the first word after `Subject: ` stays within 78 characters a line.
 */
const WORD_BYTES = 39;

/**
 * The RFC 5322 message: multipart/alternative (text, then HTML), both parts UTF-8 in base64 (76
 * characters a line), non-ASCII or long names and subjects as RFC 2047 encoded words. Built by hand
 * from strings and one Buffer: nodemailer's MailComposer, which did this before, runs a stream
 * pipeline per part and cost about 0.8 ms of CPU per mail (see bench/README.md). What a mail reader
 * decodes from both is the same; `test/composeMime.test.ts` compares them with mailparser.
 * Async so that an address refused here rejects, as the message built by streams did.
 */
export async function composeMime(envelope: Envelope, content: MailContent): Promise<Buffer> {
  return Buffer.from(messageText(envelope, content), 'utf8');
}

function messageText(envelope: Envelope, content: MailContent): string {
  const boundary = `=_shop_${envelope.notificationId.replace(/[^A-Za-z0-9]/g, '')}`;
  const sender = parseSender(envelope.from);
  const headers = [
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
    `From: ${mailbox(sender.name, sender.address)}`,
    `To: ${mailbox(envelope.to.name, envelope.to.address)}`,
    `Subject: ${unstructured(content.subject)}`,
    `Message-ID: ${messageIdFor(envelope.notificationId, envelope.from)}`,
    `Date: ${rfc5322Date(envelope.date)}`,
    'MIME-Version: 1.0',
  ];
  return [
    ...headers,
    '',
    `--${boundary}`,
    ...part('text/plain', content.text),
    `--${boundary}`,
    ...part('text/html', content.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

function part(type: string, body: string): string[] {
  const encoded = Buffer.from(body, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += 76) lines.push(encoded.slice(at, at + 76));
  return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', ...lines];
}

/** `GMAIL_SENDER` as configured: `Name <address>` (the name may be quoted) or a bare address. */
function parseSender(from: string): { name: string; address: string } {
  const named = /^(.*?)\s*<([^<>]+)>\s*$/.exec(from.trim());
  if (!named) return { name: '', address: from.trim() };
  const name = named[1]!.trim();
  const unquoted = /^"(.*)"$/.exec(name)?.[1]?.replace(/\\(.)/g, '$1') ?? name;
  return { name: unquoted, address: named[2]!.trim() };
}

function mailbox(name: string, address: string): string {
  // A CR or LF here would start a header of the caller's choosing; the address is validated
  // upstream, so this is a last line against a mistake, never a user's input.
  if (!ADDRESS.test(address) || address.split('@').length !== 2) {
    throw new Error(`not a mail address for a header: ${JSON.stringify(address)}`);
  }
  if (name === '') return address;
  const shown = displayName(name);
  // After encoded words the address goes on a line of its own, so no line passes 78 characters.
  return shown.startsWith('=?') ? `${shown}${CRLF} <${address}>` : `${shown} <${address}>`;
}

function displayName(name: string): string {
  if (name.includes('=?')) return encodedWords(name); // would read as an encoded word
  if (ATOMS.test(name) && name.trim() === name && name.length <= 60) return name;
  if (PRINTABLE.test(name) && name.length <= 60) return `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return encodedWords(name);
}

/** A Subject: as written when short printable ASCII, else encoded words (they fold safely). */
function unstructured(text: string): string {
  const plain = PRINTABLE.test(text) && text.length <= 70 && text.trim() === text && !text.includes('=?');
  return plain ? text : encodedWords(text);
}

/** RFC 2047 B-encoded words of at most 39 bytes each, split between characters, folded. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += char;
    bytes += size;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** `Thu, 26 Nov 2026 19:20:00 +0000`: RFC 5322's date-time, in UTC. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
