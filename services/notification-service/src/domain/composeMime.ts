import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailContent } from './templates.ts';

/** Each notification's mail has a fixed Message-ID, so Gmail can be asked whether it already went out. */
export const messageIdFor = (notificationId: string) => `<${notificationId}@shop.local>`;

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
    messageId: messageIdFor(envelope.notificationId),
    date: envelope.date,
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}
