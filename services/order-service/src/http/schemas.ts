import { z } from 'zod';
import type { Currency } from '@shop/shared';
import { CreateOrderBody, ListOrdersQuery } from '@shop/shared/contracts';
import { priceOrder } from '../domain/pricing.ts';
import { decodeCursor } from './cursor.ts';

const PricingFields = CreateOrderBody.pick({ price: true, quantity: true, currency: true });

/**
 * The contract's body plus the money rules (decimals, Stripe's minimum and maximum), reported on
 * the field that causes them. The money check also runs when other fields (say product_name) are
 * wrong, so one 400 names every bad field.
 */
export function createOrderBodySchema(defaultCurrency: Currency) {
  return CreateOrderBody.superRefine(
    (body, ctx) => {
      const currency = body.currency ?? defaultCurrency;
      const pricing = priceOrder({ price: body.price, quantity: body.quantity, currency });
      if (!pricing.ok) ctx.addIssue({ code: 'custom', path: [pricing.field], message: pricing.message });
    },
    { when: (payload) => PricingFields.safeParse(pickPricing(payload.value)).success },
  );
}

function pickPricing(value: unknown) {
  if (typeof value !== 'object' || value === null) return value;
  const { price, quantity, currency } = value as Record<string, unknown>;
  return { price, quantity, currency };
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
