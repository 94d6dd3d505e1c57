import type { SecurityType } from '@shop/shared/contracts';
import { escapeHtml, htmlLayout } from './html.ts';
import type { MailContent } from './templates.ts';

/** What a security mail may carry: the link (and code) to act on. Nothing a user typed. */
export interface MailAction {
  url: string;
  code?: string;
}

interface Wording {
  subject: string;
  title: string;
  /** Paragraphs before and after the action. */
  intro: string[];
  outro: string[];
}

const NOT_YOU = 'If this was not you, change your password now and contact us.';

/**
 * Fixed wording for each security mail: no username, product or other user text, so a registrant
 * cannot make the shop mail their words to somebody else's address.
 */
const WORDING: Record<SecurityType, Wording> = {
  email_verification: {
    subject: 'Confirm your email address',
    title: 'Confirm your email address',
    intro: [
      'Someone asked to use this address for an account at our shop.',
      'To confirm it is yours, open the link or enter the code.',
    ],
    outro: [
      'The link and the code expire, and work once. If you did not ask for this, ignore this mail: nothing happens without the link or the code.',
    ],
  },
  password_reset: {
    subject: 'Reset your password',
    title: 'Reset your password',
    intro: [
      'Someone asked to reset the password of the account with this address.',
      'To choose a new password, open the link.',
    ],
    outro: [
      'The link expires soon and works once. If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
  },
  password_changed: {
    subject: 'Your password was changed',
    title: 'Your password was changed',
    intro: [
      'The password of the account with this address was just changed, and its other sign-ins were ended.',
    ],
    outro: [NOT_YOU],
  },
  email_changed: {
    subject: 'Your email address was changed',
    title: 'Your email address was changed',
    intro: [
      'The account that used this address now uses another one, confirmed by its owner. Mail for the account no longer comes here.',
    ],
    outro: [NOT_YOU],
  },
};

/** The text and HTML parts of a security mail. */
export function securityMail(type: SecurityType, action?: MailAction): MailContent {
  const w = WORDING[type];
  const actionText = action ? [`Link: ${action.url}`, ...(action.code ? [`Code: ${action.code}`] : [])] : [];
  const text = [...w.intro, '', ...(actionText.length ? [...actionText, ''] : []), ...w.outro].join('\n');
  const actionHtml = action
    ? [
        `<a href="${escapeHtml(action.url)}">${escapeHtml(w.title)}</a>`,
        ...(action.code
          ? [
              `Your code: <strong style="font-size:20px;letter-spacing:2px">${escapeHtml(action.code)}</strong>`,
            ]
          : []),
      ]
    : [];
  const html = htmlLayout({
    title: w.title,
    intro: [...w.intro.map(escapeHtml), ...actionHtml],
    outro: w.outro.map(escapeHtml),
  });
  return { subject: w.subject, text, html };
}
