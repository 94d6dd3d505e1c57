import { TEST_PAYMENT_METHODS } from './payment-methods.ts';
import type { PaymentIntent } from './state.ts';

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** "12.34 USD" with the currency's real number of decimals (JPY has none). */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    // not a currency Intl knows; Stripe's default of two decimals is the best guess
  }
  return `${(amount / 10 ** digits).toFixed(digits)} ${code}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
dt{font-weight:600}dd{margin:0 0 .5rem}button,select{font-size:1rem;padding:.4rem .8rem;margin:.2rem 0}
.error{color:#b00020}.status{font-family:monospace}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}
<p><small>Stripe sandbox: nothing here touches a real card.</small></p></body></html>`;
}

function payForm(intent: PaymentIntent): string {
  const options = TEST_PAYMENT_METHODS.map(
    (m) =>
      `<option value="${escapeHtml(m.id)}">${escapeHtml(m.id)} (${escapeHtml(m.brand)} •••• ${m.last4})</option>`,
  ).join('');
  return `<form method="post" action="/confirm/${escapeHtml(intent.id)}">
<label>Test card <select name="payment_method">${options}</select></label>
<button type="submit">Pay ${escapeHtml(formatAmount(intent.amount, intent.currency))}</button></form>`;
}

function authenticateForm(intent: PaymentIntent): string {
  const action = `/confirm/${escapeHtml(intent.id)}`;
  return `<p>Your bank asks you to confirm this payment.</p>
<form method="post" action="${action}"><input type="hidden" name="action" value="authorize">
<button type="submit">Authorize payment</button></form>
<form method="post" action="${action}"><input type="hidden" name="action" value="fail">
<button type="submit">Fail authentication</button></form>`;
}

export function confirmPage(intent: PaymentIntent): string {
  const metadata = Object.entries(intent.metadata)
    .map(([key, value]) => `${escapeHtml(key)}=${escapeHtml(value)}`)
    .join(', ');
  const error = intent.last_payment_error
    ? `<p class="error">Last attempt failed: ${escapeHtml(intent.last_payment_error.message)}</p>`
    : '';
  let actions = '';
  if (intent.status === 'requires_action') actions = authenticateForm(intent);
  else if (intent.status === 'requires_payment_method' || intent.status === 'requires_confirmation') {
    actions = payForm(intent);
  }
  return page(
    'Confirm payment',
    `<dl><dt>Amount</dt><dd>${escapeHtml(formatAmount(intent.amount, intent.currency))}</dd>
<dt>PaymentIntent</dt><dd class="status">${escapeHtml(intent.id)}</dd>
<dt>Status</dt><dd class="status" id="status">${escapeHtml(intent.status)}</dd>
${intent.description ? `<dt>Description</dt><dd>${escapeHtml(intent.description)}</dd>` : ''}
${metadata ? `<dt>Metadata</dt><dd>${metadata}</dd>` : ''}</dl>${error}${actions}`,
  );
}

export function notFoundPage(id: string): string {
  return page('Payment not found', `<p>No PaymentIntent <code>${escapeHtml(id)}</code> in this sandbox.</p>`);
}
