import { describe, expect, it } from 'vitest';
import { formatMoney, toMinorUnits } from '../src/money.ts';

// The edges of price parsing that scenario tests never send: each case pins one step of the parser.
describe('money at its boundaries', () => {
  it.each([
    [' 19.99 ', 'USD', 1999],
    ['\t5\n', 'USD', 500],
    ['100.00', 'JPY', 100],
    ['19.900', 'USD', 1990],
    ['1.5000', 'USD', 150],
    ['999999999999', 'JPY', 999_999_999_999],
    ['999999999999.99', 'USD', 99_999_999_999_999],
  ] as const)('price %j in %s is exactly %i minor units', (price, currency, expected) => {
    expect(toMinorUnits(price, currency)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['1000000000000', 'USD', 'must be a positive decimal number such as 19.99'],
    ['19.99 USD', 'USD', 'must be a positive decimal number such as 19.99'],
    ['100.001', 'JPY', 'must have at most 0 decimal places for JPY'],
    ['1.051', 'EUR', 'must have at most 2 decimal places for EUR'],
  ] as const)('price %j in %s is refused: %s', (price, currency, reason) => {
    expect(toMinorUnits(price, currency)).toEqual({ ok: false, reason });
  });

  it('a currency the shop does not price in is still formatted, with two decimals', () => {
    expect(formatMoney(1234, 'SEK')).toMatch(/^SEK\s12\.34$/);
    expect(formatMoney(1234, 'sek')).toMatch(/^SEK\s12\.34$/);
  });
});
