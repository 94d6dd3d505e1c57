import { ConfigError, type Logger } from '@shop/shared';
import { MailerError, type Mailer } from './mailer.ts';

const addressOf = (sender: string) => (/<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim().toLowerCase();

/**
 * Start-up check of GMAIL_SENDER against users.settings.sendAs.list: Gmail rewrites a From that is
 * neither the account nor a verified send-as alias, so such a sender stops start-up with one line.
 * When the check cannot be made (Gmail down, over quota, or refusing the credentials), start-up
 * goes on and it is logged: notify keeps recording mails, which wait in the queue until Gmail
 * takes them (a revoked token is an `error` on every try, as for any send).
 */
export async function checkSender(mailer: Mailer, logger: Logger, timeoutMs: number): Promise<void> {
  let allowed: string[];
  try {
    allowed = await mailer.allowedSenders(timeoutMs);
  } catch (error) {
    if (!(error instanceof MailerError)) throw error;
    const level = error.failure.kind === 'configuration' ? 'error' : 'warn';
    logger[level](
      { reason: error.failure.reason, failure_kind: error.failure.kind },
      'GMAIL_SENDER could not be checked at start; mails are queued until Gmail takes them',
    );
    return;
  }
  const sender = addressOf(mailer.sender);
  if (!allowed.some((address) => address.toLowerCase() === sender)) {
    throw new ConfigError(
      `Invalid configuration: GMAIL_SENDER (${sender}) is not the Gmail account's address or a verified send-as alias (it may send as: ${allowed.join(', ') || 'nothing'})`,
    );
  }
  logger.info({ sender }, 'GMAIL_SENDER checked: Gmail lets the account send as it');
}
