import { z } from 'zod';
import type { Currency } from '@shop/shared';
import { CreateOrderBody, ListOrdersQuery } from '@shop/shared/contracts';
import { priceOrder, unitAmount } from '../domain/pricing.ts';
import { decodeCursor } from './cursor.ts';

const PriceFields = CreateOrderBody.pick({ price: true, currency: true });
const QuantityField = CreateOrderBody.pick({ quantity: true });

/**
 * The contract's body plus the money rules (decimals, Stripe's minimum and maximum), reported on
 * the field that causes them. The money check also runs when other fields (say product_name) are
 * wrong, so one 400 names every bad field.
 */
export function createOrderBodySchema(defaultCurrency: Currency) {
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

function pickPrice(value: unknown) {
  if (typeof value !== 'object' || value === null) return value;
  const { price, currency } = value as Record<string, unknown>;
  return { price, currency };
}

/** The contract's query, with the cursor decoded to the sequence number it stands for. */
export const ListQuery = ListOrdersQuery.extend({
  cursor: z
    .string()
    .max(200)
    .transform((cursor, ctx) => {
      const seq = decodeCursor(cursor);
      if (seq !== undefined) return seq;
      ctx.addIssue({ code: 'custom', message: 'is not a valid cursor: pass next_cursor back unchanged' });
      return z.NEVER;
    })
    .optional(),
});
