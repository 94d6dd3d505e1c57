import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateDevKeys,
  generateKeyPair,
  loadOrCreateDevKeys,
  resolveAuthKeys,
  signServiceToken,
  verifyToken,
} from '../src/index.ts';
import { authEnvFor, testKeys } from '../src/testing/index.ts';

const forNotifications = {
  service: 'notification-service',
  callers: ['user-service', 'payment-service'],
  needsPrivateKey: false,
} as const;
const resolve = (env: Record<string, string | undefined>) =>
  resolveAuthKeys({ NODE_ENV: 'test', ...env }, forNotifications);
const pem = (type: 'rsa' | 'ec', curve?: string) =>
  generateKeyPairSync(
    type as 'ec',
    {
      ...(type === 'ec' ? { namedCurve: curve! } : { modulusLength: 2048 }),
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    } as never,
  ) as unknown as { privateKey: string; publicKey: string };

describe('service keys at start-up', () => {
  it('in production, every missing key is named on one line: the user-token key, its own signing key, the public keys of the services its contract lets call it', () => {
    expect(() => resolveAuthKeys({ NODE_ENV: 'production' }, forNotifications)).toThrow(
      'Invalid configuration: JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE), SERVICE_SIGNING_KEY (or SERVICE_SIGNING_KEY_FILE), USER_SERVICE_PUBLIC_KEY (or USER_SERVICE_PUBLIC_KEY_FILE), PAYMENT_SERVICE_PUBLIC_KEY (or PAYMENT_SERVICE_PUBLIC_KEY_FILE) must be set in production (not set)',
    );
  });

  it('in production with every needed key set, the keys of other services are not asked for', () => {
    const env = authEnvFor('notification-service');
    delete env.ORDER_SERVICE_PUBLIC_KEY;
    delete env.NOTIFICATION_SERVICE_PUBLIC_KEY;
    const keys = resolveAuthKeys({ NODE_ENV: 'production', ...env }, forNotifications);
    expect(Object.keys(keys.callerKeys)).toEqual(['user-service', 'payment-service']);
    expect(keys.signingKey).toBe(testKeys.services['notification-service'].privateKey);
  });

  it.each([
    ['an RSA key', pem('rsa'), 'a key of type rsa'],
    ['an EC key on P-384', pem('ec', 'secp384r1'), 'an EC key on secp384r1'],
  ])('when SERVICE_SIGNING_KEY is %s, one line names it and what it got', (_name, pair, got) => {
    expect(() =>
      resolve({ ...authEnvFor('notification-service'), SERVICE_SIGNING_KEY: pair.privateKey }),
    ).toThrow(`Invalid configuration: SERVICE_SIGNING_KEY must be an EC P-256 (prime256v1) key (got ${got})`);
  });

  it("when a caller's public key variable holds a private key, start-up is refused and the key is not printed", () => {
    const privateKey = testKeys.services['payment-service'].privateKey;
    const error = (() => {
      try {
        resolve({ ...authEnvFor('notification-service'), PAYMENT_SERVICE_PUBLIC_KEY: privateKey });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^Invalid configuration: PAYMENT_SERVICE_PUBLIC_KEY must be a public key/);
    expect(error?.message).not.toContain('BEGIN');
  });

  it('when a key file is given, it is read; when it cannot be read, one line names the _FILE variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-keys-'));
    const file = join(dir, 'payment.pem');
    writeFileSync(file, testKeys.services['payment-service'].publicKey);
    const env = { ...authEnvFor('notification-service'), PAYMENT_SERVICE_PUBLIC_KEY: undefined };
    expect(resolve({ ...env, PAYMENT_SERVICE_PUBLIC_KEY_FILE: file }).callerKeys['payment-service']).toBe(
      testKeys.services['payment-service'].publicKey,
    );
    expect(() => resolve({ ...env, PAYMENT_SERVICE_PUBLIC_KEY_FILE: join(dir, 'missing.pem') })).toThrow(
      /^Invalid configuration: PAYMENT_SERVICE_PUBLIC_KEY_FILE cannot be read/,
    );
  });

  it('the idempotency fingerprint key is the same for one signing key in PKCS#8 and SEC1 form, and differs between services', () => {
    const signing = testKeys.services['notification-service'].privateKey;
    const sec1 = createPrivateKey(signing).export({ type: 'sec1', format: 'pem' }).toString();
    const a = resolve(authEnvFor('notification-service'));
    const b = resolve({ ...authEnvFor('notification-service'), SERVICE_SIGNING_KEY: sec1 });
    const other = resolve({
      ...authEnvFor('notification-service'),
      SERVICE_SIGNING_KEY: generateKeyPair().privateKey,
    });
    expect(b.fingerprintSecret).toBe(a.fingerprintSecret);
    expect(other.fingerprintSecret).not.toBe(a.fingerprintSecret);
    expect(a.fingerprintSecret).not.toContain(signing.slice(40, 60));
  });
});

describe('development keys', () => {
  it('a dev-keys file from before the per-service keys keeps its user-token pair and gains a pair per service', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'dev-keys.json');
    const old = generateKeyPair();
    writeFileSync(file, JSON.stringify({ ...old, serviceSecret: 'x'.repeat(43) }));
    const keys = loadOrCreateDevKeys(file);
    expect(keys.publicKey).toBe(old.publicKey);
    expect(Object.keys(keys.services).sort()).toEqual([
      'notification-service',
      'order-service',
      'payment-service',
      'user-service',
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(keys);
  });

  it("a token signed with one service's dev key verifies with that service's dev public key, and not with another's", () => {
    const keys = generateDevKeys();
    const token = signServiceToken(
      keys.services['payment-service'].privateKey,
      'payment-service',
      'order-service',
    );
    const orderKeys = { publicKey: keys.publicKey, service: 'order-service', callerKeys: {} };
    expect(
      verifyToken(
        { ...orderKeys, callerKeys: { 'payment-service': keys.services['payment-service'].publicKey } },
        token,
      ),
    ).toEqual({ kind: 'service', service: 'payment-service' });
    expect(() =>
      verifyToken(
        { ...orderKeys, callerKeys: { 'payment-service': keys.services['user-service'].publicKey } },
        token,
      ),
    ).toThrow(/not valid/);
  });
});
