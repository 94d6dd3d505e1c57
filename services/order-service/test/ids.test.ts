import { describe, expect, it } from 'vitest';
import { Id } from '@shop/shared/contracts';
import { uuidv7 } from '../src/domain/ids.ts';

describe('order ids', () => {
  it('when ids are made, they are version 7 UUIDs the contracts accept, all different', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) {
      expect(Id.safeParse(id).success).toBe(true);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('when ids are made at later milliseconds, they sort later', () => {
    const times = [0, 1, 1_700_000_000_000, 1_700_000_000_001, 2 ** 47];
    const ids = times.map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[2]!.slice(0, 13).replace('-', '')).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
  });
});
