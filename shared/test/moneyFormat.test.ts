import { afterEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../src/money.ts';

const OriginalNumberFormat = Intl.NumberFormat;
afterEach(() => {
  Intl.NumberFormat = OriginalNumberFormat;
});

/** Counts the number formats built from now on (they still work). */
function countNumberFormats(): { built: number } {
  const counter = { built: 0 };
  Intl.NumberFormat = function (...args: ConstructorParameters<typeof Intl.NumberFormat>) {
    counter.built++;
    return new OriginalNumberFormat(...args);
  } as unknown as typeof Intl.NumberFormat;
  return counter;
}

describe('formatMoney builds one number format per currency, not one per call', () => {
  it('when 500 USD and 500 EUR amounts are formatted, 0 new formats are built after the first of each and all read right', () => {
    expect(formatMoney(1, 'USD')).toBe('$0.01');
    expect(formatMoney(1, 'EUR')).toBe('€0.01');
    const formats = countNumberFormats();
    const wrong: string[] = [];
    for (let cents = 0; cents < 500; cents++) {
      const usd = formatMoney(cents * 101, 'usd');
      const eur = formatMoney(cents * 101, 'EUR');
      const expected = ((cents * 101) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
      if (usd !== `$${expected}`) wrong.push(usd);
      if (eur !== `€${expected}`) wrong.push(eur);
    }
    expect(wrong).toEqual([]);
    expect(formats.built, 'formats built during 1,000 calls').toBe(0);
  });
});
