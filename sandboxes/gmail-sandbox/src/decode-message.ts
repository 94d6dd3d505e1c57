import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

/** What the sandbox shows of one message, decoded by mailparser (RFC 2047 words, charsets, parts). */
export interface DecodedMessage {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  /** Lower-cased addresses from To, Cc and Bcc, for the ?to= filter. */
  recipients: string[];
  subject: string;
  /** ISO time from the Date header, or undefined when the message has none (or an invalid one). */
  date: string | undefined;
  messageId: string | undefined;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string | undefined; contentType: string; size: number }[];
}

type Addresses = AddressObject | AddressObject[] | undefined;

function addressText(value: Addresses): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

function addressList(value: Addresses): string[] {
  if (!value) return [];
  const flatten = (entries: AddressObject['value']): string[] =>
    entries.flatMap((e) => [...(e.address ? [e.address.toLowerCase()] : []), ...flatten(e.group ?? [])]);
  return (Array.isArray(value) ? value : [value]).flatMap((a) => flatten(a.value));
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if (typeof value === 'object' && value !== null) {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('value' in value && typeof value.value === 'string') {
      const params = 'params' in value && value.params ? Object.entries(value.params) : [];
      return [value.value, ...params.map(([k, v]) => `${k}=${v}`)].join('; ');
    }
  }
  return String(value);
}

export async function decodeMessage(raw: Buffer): Promise<DecodedMessage> {
  // skipImageLinks/skipTextToHtml keep html to what the sender actually wrote.
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const headers: Record<string, string> = {};
  for (const [name, value] of mail.headers) headers[name] = headerText(value);
  const date =
    mail.headers.has('date') && mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined;
  return {
    from: addressText(mail.from),
    to: addressText(mail.to),
    cc: addressText(mail.cc),
    bcc: addressText(mail.bcc),
    recipients: [...addressList(mail.to), ...addressList(mail.cc), ...addressList(mail.bcc)],
    subject: mail.subject ?? '',
    date: date?.toISOString(),
    messageId: mail.messageId,
    text: mail.text ?? '',
    html: mail.html || '',
    headers,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
    })),
  };
}
