import { invalidRequest } from './errors.ts';

/**
 * The presentment currencies the sandbox accepts (a subset of Stripe's 135+), with their minor-unit
 * decimals, Stripe's minimum charge when the currency is the account's settlement currency (Stripe's
 * "minimum and maximum charge amounts" table), and a fixed exchange rate per US dollar. The rates are
 * the sandbox's own, fixed so tests are repeatable; Stripe uses the day's rate.
 */
const CURRENCIES: Record<string, { decimals: number; minimum: number; perUsd: number }> = {
  usd: { decimals: 2, minimum: 50, perUsd: 1 },
  aed: { decimals: 2, minimum: 200, perUsd: 3.67 },
  aud: { decimals: 2, minimum: 50, perUsd: 1.5 },
  brl: { decimals: 2, minimum: 50, perUsd: 5 },
  cad: { decimals: 2, minimum: 50, perUsd: 1.35 },
  chf: { decimals: 2, minimum: 50, perUsd: 0.9 },
  czk: { decimals: 2, minimum: 1500, perUsd: 23 },
  dkk: { decimals: 2, minimum: 250, perUsd: 6.9 },
  eur: { decimals: 2, minimum: 50, perUsd: 0.92 },
  gbp: { decimals: 2, minimum: 30, perUsd: 0.8 },
  hkd: { decimals: 2, minimum: 400, perUsd: 7.8 },
  jpy: { decimals: 0, minimum: 50, perUsd: 150 },
  mxn: { decimals: 2, minimum: 1000, perUsd: 17 },
  nok: { decimals: 2, minimum: 300, perUsd: 10.5 },
  nzd: { decimals: 2, minimum: 50, perUsd: 1.65 },
  pln: { decimals: 2, minimum: 200, perUsd: 4 },
  sek: { decimals: 2, minimum: 300, perUsd: 10.5 },
  sgd: { decimals: 2, minimum: 50, perUsd: 1.35 },
};

export const SUPPORTED_CURRENCIES = Object.keys(CURRENCIES);

export function isSupportedCurrency(code: string): boolean {
  return code in CURRENCIES;
}

/** Stripe's refusal of a currency it does not support (lower-case ISO code expected). */
export function requireSupportedCurrency(code: string): string {
  const lower = code.toLowerCase();
  if (!isSupportedCurrency(lower)) {
    throw invalidRequest(
      `Invalid currency: ${lower}. Stripe currently supports these currencies: ${SUPPORTED_CURRENCIES.join(', ')}`,
      undefined,
      'currency',
    );
  }
  return lower;
}

const major = (amount: number, currency: string) => amount / 10 ** CURRENCIES[currency]!.decimals;

/**
 * Stripe refuses a charge below the minimum of the account's settlement currency; a charge in
 * another currency must convert to at least that minimum (`amount_too_small`, 400, before anything
 * is created).
 */
export function requireMinimumCharge(amount: number, currency: string, settlement: string): void {
  const target = CURRENCIES[settlement]!;
  const inSettlement = (major(amount, currency) / CURRENCIES[currency]!.perUsd) * target.perUsd;
  const minimum = major(target.minimum, settlement);
  if (inSettlement + 1e-9 >= minimum) return;
  const message =
    currency === settlement
      ? `Amount must be at least ${minimum.toFixed(target.decimals)} ${settlement}`
      : `Amount must convert to at least ${minimum.toFixed(target.decimals)} ${settlement}. ` +
        `${major(amount, currency)} ${currency} converts to approximately ${inSettlement.toFixed(2)} ${settlement}.`;
  throw invalidRequest(message, 'amount_too_small', 'amount');
}
