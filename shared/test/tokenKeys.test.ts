import { describe, expect, it } from 'vitest';
import { generateDevKeys, keyObject, signServiceToken, signUserToken, verifyToken } from '../src/index.ts';
import { testAuthKeys } from '../src/testing/index.ts';

const userId = '0b7d3a52-53a5-4b0b-9a64-3f3ab1b4f1de';

// Parsing a PEM key on every request was a fifth of a token-checked request's CPU (bench/README.md).
describe('token keys are parsed once per key, not once per request', () => {
  it('the same public or private key gives back the same parsed key object each time', () => {
    const keys = generateDevKeys();
    const signing = keys.services['payment-service'].privateKey;
    expect(keyObject(keys.publicKey, 'public')).toBe(keyObject(keys.publicKey, 'public'));
    expect(keyObject(signing, 'private')).toBe(keyObject(signing, 'private'));
    expect(keyObject(keys.publicKey, 'public').type).toBe('public');
    expect(keyObject(signing, 'private').type).toBe('private');
  });

  it('after 40 sets of keys (more than are kept), each of 40 tokens passes only with its own keys: 0 mix-ups', () => {
    const sets = Array.from({ length: 40 }, () => generateDevKeys());
    const mixUps = sets.flatMap((keys, i) => {
      const own = testAuthKeys('order-service', keys);
      const other = testAuthKeys('order-service', sets[(i + 1) % sets.length]!);
      const userToken = signUserToken(keys.privateKey, userId, 60);
      const serviceToken = signServiceToken(
        keys.services['payment-service'].privateKey,
        'payment-service',
        'order-service',
      );
      const problems: string[] = [];
      if (verifyToken(own, userToken).kind !== 'user')
        problems.push(`user token ${i} refused by its own key`);
      if (verifyToken(own, serviceToken).kind !== 'service') problems.push(`service token ${i} refused`);
      if (passes(() => verifyToken(other, userToken))) problems.push(`user token ${i} passed another key`);
      if (passes(() => verifyToken(other, serviceToken)))
        problems.push(`service token ${i} passed another key`);
      return problems;
    });
    expect(mixUps).toEqual([]);
  });

  it('a malformed configured public key is a 401 for the caller, not a crash', () => {
    const keys = testAuthKeys('order-service', generateDevKeys());
    const token = signUserToken(keys.privateKey!, userId, 60);
    expect(() => verifyToken({ ...keys, publicKey: 'not a key' }, token)).toThrow(/not valid/);
  });
});

function passes(verify: () => unknown): boolean {
  try {
    verify();
    return true;
  } catch {
    return false;
  }
}
