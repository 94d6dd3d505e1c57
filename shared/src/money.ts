/**
 * Money is an integer amount of minor units (cents) plus an ISO 4217 currency code. Prices arrive
 * in major units (19.99) and are converted exactly, from their decimal text, never by float maths.
 */
export const CURRENCIES = {
  USD: { decimals: 2, minimum: 50 },
  EUR: { decimals: 2, minimum: 50 },
  GBP: { decimals: 2, minimum: 30 },
  CHF: { decimals: 2, minimum: 50 },
  CAD: { decimals: 2, minimum: 50 },
  AUD: { decimals: 2, minimum: 50 },
  JPY: { decimals: 0, minimum: 50 },
} as const;

export type Currency = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]];

/** The largest amount Stripe accepts for a charge, in minor units (8 digits). */
export const MAX_AMOUNT_MINOR = 99_999_999;

/**
 * Converts a major-unit price (number or decimal string) to minor units, or explains why it cannot.
 * A JS number is read through its shortest decimal text, so 19.99 is "19.99" and 0.1 + 0.2 is
 * "0.30000000000000004" (rejected: too many decimals) - nothing is rounded silently.
 */
export function toMinorUnits(
  price: number | string,
  currency: Currency,
): { ok: true; value: number } | { ok: false; reason: string } {
  const { decimals } = CURRENCIES[currency];
  const text = typeof price === 'number' ? (Number.isFinite(price) ? String(price) : '') : price.trim();
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!match) {
    return { ok: false, reason: 'must be a positive decimal number such as 19.99' };
  }
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) {
    return { ok: false, reason: `must have at most ${decimals} decimal places for ${currency}` };
  }
  // At most 12 integer digits and 2 decimals: always a safe integer.
  return { ok: true, value: Number(match[1]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0')) };
}

/** Formats minor units for people: formatMoney(3998, 'USD') -> "$39.98". */
export function formatMoney(amountMinor: number, currency: string): string {
  const code = currency.toUpperCase();
  const decimals = (CURRENCIES as Record<string, { decimals: number }>)[code]?.decimals ?? 2;
  let format = moneyFormats.get(code);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    if (moneyFormats.size < 64) moneyFormats.set(code, format);
  }
  return format.format(amountMinor / 10 ** decimals);
}

// Building a NumberFormat costs far more than using one (it showed in every receipt's CPU profile).
// The shop knows a handful of currencies; the cap only guards against odd codes from elsewhere.
const moneyFormats = new Map<string, Intl.NumberFormat>();
