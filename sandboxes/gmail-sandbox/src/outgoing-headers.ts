import { randomBytes } from 'node:crypto';
import { mayUseAsFrom, type SandboxAccount } from './account.ts';

interface Header {
  name: string;
  /** The raw value, folding kept. */
  value: string;
}

function splitMessage(raw: Buffer): { headers: Header[]; newline: string; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const useCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
  const end = useCrlf ? crlf : lf;
  const newline = useCrlf ? '\r\n' : '\n';
  const head = (end < 0 ? raw : raw.subarray(0, end)).toString('latin1');
  const body = end < 0 ? Buffer.alloc(0) : raw.subarray(end + newline.length * 2);
  const headers: Header[] = [];
  for (const line of head.split(newline)) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) last.value += `${newline}${line}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
  }
  return { headers, newline, body };
}

/** The address in a From value: `Name <a@b>` or `a@b`. */
function fromAddress(value: string): { name: string; address: string } {
  const angle = /^(.*)<([^<>]+)>\s*$/s.exec(value);
  if (angle) return { name: angle[1]!.trim(), address: angle[2]!.trim() };
  return { name: '', address: value.trim() };
}

/** A Message-ID as Gmail mints one for a message it sends. */
export const gmailMessageIdHeader = () => `<${randomBytes(18).toString('base64url')}@mail.gmail.com>`;

/**
 * What Gmail does to a message it sends for the account: a From that is neither the account nor a
 * verified alias becomes the account's address (the display name is kept), and the message gets
 * Gmail's own Message-ID, whatever the client wrote (reported for API sends; see the README).
 */
export function asGmailSendsIt(raw: Buffer, account: SandboxAccount): Buffer {
  const { headers, newline, body } = splitMessage(raw);
  const out = headers.filter((h) => h.name.toLowerCase() !== 'message-id');
  const from = out.find((h) => h.name.toLowerCase() === 'from');
  if (!from) out.unshift({ name: 'From', value: account.address });
  else {
    const { name, address } = fromAddress(from.value.replace(/\r?\n[ \t]/g, ' '));
    if (!mayUseAsFrom(account, address)) from.value = name ? `${name} <${account.address}>` : account.address;
  }
  out.push({ name: 'Message-ID', value: gmailMessageIdHeader() });
  const head = out.map((h) => `${h.name}: ${h.value}`).join(newline);
  return Buffer.concat([Buffer.from(`${head}${newline}${newline}`, 'latin1'), body]);
}
