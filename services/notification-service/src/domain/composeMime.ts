import MailComposer from 'nodemailer/lib/mail-composer';
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

/**
 * The RFC 5322 message (multipart/alternative: text, then HTML) built by nodemailer's MailComposer,
 * which encodes non-ASCII names and subjects (RFC 2047) and bodies (quoted-printable or base64).
 */
export function composeMime(envelope: Envelope, content: MailContent): Promise<Buffer> {
  return new MailComposer({
    from: envelope.from,
    to: envelope.to,
    subject: content.subject,
    text: content.text,
    html: content.html,
    messageId: messageIdFor(envelope.notificationId, envelope.from),
    date: envelope.date,
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}
