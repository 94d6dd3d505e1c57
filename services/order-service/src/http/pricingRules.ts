import type { Currency } from '@shop/shared';
import { CreateOrderBody } from '@shop/shared/contracts';
import { priceOrder, unitAmount } from '../domain/pricing.ts';

const PriceFields = CreateOrderBody.pick({ price: true, currency: true });
const QuantityField = CreateOrderBody.pick({ quantity: true });

/** The body's price fields. The body is an object or an array here: no body is `{}` and JSON is parsed strictly. */
function pickPrice(value: unknown) {
  const { price, currency } = value as Record<string, unknown>;
  return { price, currency };
}

/**
 * The contract's order body plus the money rules (decimals, Stripe's minimum and maximum), which
 * need the configured default currency; each problem is put on the field that causes it. The money
 * check also runs when other fields are wrong, so one 400 names every bad field.
 */
export function orderBodyWithPricing(defaultCurrency: Currency) {
  return CreateOrderBody.superRefine(
    (body, ctx) => {
      const currency = body.currency ?? defaultCurrency;
      // With a bad quantity, the price's own checks still run, so both fields are named at once.
      const quantityOk = QuantityField.safeParse({ quantity: body.quantity }).success;
      const pricing = quantityOk
        ? priceOrder({ price: body.price, quantity: body.quantity, currency })
        : unitAmount(body.price, currency);
      if (!pricing.ok) ctx.addIssue({ code: 'custom', path: [pricing.field], message: pricing.message });
    },
    { when: (payload) => PriceFields.safeParse(pickPrice(payload.value)).success },
  );
}
