import MailComposer from 'nodemailer/lib/mail-composer';
import type { Envelope } from '../../src/domain/composeMime.ts';
import type { MailContent } from '../../src/domain/templates.ts';

/**
 * The message as nodemailer's MailComposer builds it: what the service sent before its own
 * composer. The reference for the composer's test (a reader must decode the same) and for the
 * bench that measures both (`pnpm bench:mime`).
 */
export function nodemailerMime(envelope: Envelope, content: MailContent): Promise<Buffer> {
  return new MailComposer({
    from: envelope.from,
    to: envelope.to,
    subject: content.subject,
    text: content.text,
    html: content.html,
    date: envelope.date,
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}
