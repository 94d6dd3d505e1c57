import { describe, expect, it } from 'vitest';
import { generateDevKeys, keyObject, signServiceToken, signUserToken, verifyToken } from '../src/index.ts';

const userId = '0b7d3a52-53a5-4b0b-9a64-3f3ab1b4f1de';

// Parsing a PEM key on every request was a fifth of a token-checked request's CPU (bench/README.md).
describe('verification keys are parsed once per key, not once per request', () => {
  it('the same public key or secret gives back the same parsed key object each time', () => {
    const keys = generateDevKeys();
    expect(keyObject(keys.publicKey, 'public')).toBe(keyObject(keys.publicKey, 'public'));
    expect(keyObject(keys.serviceSecret, 'secret')).toBe(keyObject(keys.serviceSecret, 'secret'));
    expect(keyObject(keys.publicKey, 'public').type).toBe('public');
    expect(keyObject(keys.serviceSecret, 'secret').type).toBe('secret');
  });

  it('after 40 key pairs (more than are kept), each of 40 tokens passes only with its own keys: 0 mix-ups', () => {
    const pairs = Array.from({ length: 40 }, () => generateDevKeys());
    const mixUps = pairs.flatMap((keys, i) => {
      const other = pairs[(i + 1) % pairs.length]!;
      const userToken = signUserToken(keys.privateKey, userId, 60);
      const serviceToken = signServiceToken(keys.serviceSecret, 'payment-service');
      const problems: string[] = [];
      if (verifyToken(keys, userToken).kind !== 'user')
        problems.push(`user token ${i} refused by its own key`);
      if (verifyToken(keys, serviceToken).kind !== 'service') problems.push(`service token ${i} refused`);
      if (passes(() => verifyToken(other, userToken))) problems.push(`user token ${i} passed another key`);
      if (passes(() => verifyToken(other, serviceToken)))
        problems.push(`service token ${i} passed another secret`);
      return problems;
    });
    expect(mixUps).toEqual([]);
  });

  it('a malformed configured public key is a 401 for the caller, not a crash', () => {
    const keys = generateDevKeys();
    const token = signUserToken(keys.privateKey, userId, 60);
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
