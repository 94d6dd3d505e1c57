import { describe, expect, it } from 'vitest';
import { formatMoney, toMinorUnits } from '../src/money.ts';

describe('money', () => {
  it.each([
    [19.99, 'USD', 1999],
    ['19.99', 'USD', 1999],
    [0.3, 'USD', 30],
    [1000, 'JPY', 1000],
    ['12.50', 'EUR', 1250],
    [999999.99, 'USD', 99999999],
  ] as const)('price %s %s is exactly %i minor units', (price, currency, expected) => {
    expect(toMinorUnits(price, currency)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [0.1 + 0.2, 'USD', /at most 2 decimal/],
    [1.001, 'USD', /at most 2 decimal/],
    [1.5, 'JPY', /at most 0 decimal/],
    [-5, 'USD', /positive decimal/],
    ['abc', 'USD', /positive decimal/],
    [Number.NaN, 'USD', /positive decimal/],
    [1e21, 'USD', /positive decimal/],
  ] as const)('price %s %s is refused', (price, currency, reason) => {
    const result = toMinorUnits(price, currency);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('formats minor units for people', () => {
    expect(formatMoney(3998, 'USD')).toBe('$39.98');
    expect(formatMoney(500, 'jpy')).toBe('¥500');
  });
});
