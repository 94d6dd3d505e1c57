import { CURRENCIES, MAX_AMOUNT_MINOR, formatMoney, toMinorUnits, type Currency } from '@shop/shared';

export interface PricingInput {
  price: number | string;
  quantity: number;
  currency: Currency;
}

export type Pricing =
  | { ok: true; unit_amount: number; amount: number }
  | { ok: false; field: 'price' | 'quantity'; message: string };

const max = (currency: Currency) => `${formatMoney(MAX_AMOUNT_MINOR, currency)} ${currency}`;

/**
 * Turns a major-unit price and a quantity into integer minor units and checks the total against
 * what Stripe will charge: at least the currency's minimum and at most MAX_AMOUNT_MINOR.
 * The problem is put on the field that causes it.
 */
export function priceOrder({ price, quantity, currency }: PricingInput): Pricing {
  const unit = unitAmount(price, currency);
  if (!unit.ok) return unit;
  // unit_amount <= 99,999,999 and quantity is a small integer, so the product is exact.
  const amount = unit.value * quantity;
  if (amount > MAX_AMOUNT_MINOR) {
    const most = Math.floor(MAX_AMOUNT_MINOR / unit.value);
    return {
      ok: false,
      field: 'quantity',
      message: `must be at most ${most} at this price: the order amount may be at most ${max(currency)}`,
    };
  }
  const { minimum } = CURRENCIES[currency];
  if (amount < minimum) {
    const least = `${formatMoney(minimum, currency)} ${currency}`;
    return {
      ok: false,
      field: 'price',
      message: `gives an order amount below ${least}, the least that can be charged`,
    };
  }
  return { ok: true, unit_amount: unit.value, amount };
}

/** The unit price in minor units, or what is wrong with it: checks that need no quantity. */
export function unitAmount(
  price: number | string,
  currency: Currency,
): { ok: true; value: number } | { ok: false; field: 'price'; message: string } {
  const unit = toMinorUnits(price, currency);
  if (!unit.ok) {
    const message = exceedsMaximum(price, currency) ? `must be at most ${max(currency)}` : unit.reason;
    return { ok: false, field: 'price', message };
  }
  if (unit.value > MAX_AMOUNT_MINOR) {
    return { ok: false, field: 'price', message: `must be at most ${max(currency)}` };
  }
  return unit;
}

/** True for a well-formed but huge price (1e21, "99999999999999"), to say "too large" rather than "malformed". */
function exceedsMaximum(price: number | string, currency: Currency): boolean {
  const value = Number(price); // Number() itself ignores surrounding spaces
  return Number.isFinite(value) && value * 10 ** CURRENCIES[currency].decimals > MAX_AMOUNT_MINOR;
}
