import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import { ConfigError } from '../config/loadConfig.ts';

/**
 * A configured service-token key, refused at start-up (one line naming `variable`) unless it is an
 * EC P-256 key of the expected kind: ES256 needs that curve, and a private key given where a public
 * one belongs would hand one service's signing power to another.
 */
export function checkedServiceKey(pem: string, variable: string, kind: 'private' | 'public'): string {
  if (kind === 'public' && /PRIVATE KEY/.test(pem)) {
    throw new ConfigError(
      `Invalid configuration: ${variable} must be a public key, not a private one (value hidden); only the service it belongs to holds its private key`,
    );
  }
  let key: KeyObject;
  try {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    throw new ConfigError(`Invalid configuration: ${variable} must be a PEM ${kind} key (value hidden)`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    const got =
      key.asymmetricKeyType === 'ec' ? `an EC key on ${curve}` : `a key of type ${key.asymmetricKeyType}`;
    throw new ConfigError(
      `Invalid configuration: ${variable} must be an EC P-256 (prime256v1) key (got ${got})`,
    );
  }
  return pem;
}

/** The public half (PEM) of a signing key: how a service verifies the tokens it signed itself. */
export function publicKeyOf(signingKey: string): string {
  return createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The HMAC key of Idempotency-Key fingerprints (they cover request bodies, which can hold a
 * password, so a stolen database alone must not allow guessing them). It must be secret and the same
 * across restarts and replicas of one service: the service's own signing key already is both, so the
 * key is derived from it (HKDF over its private scalar with a fixed label: unrelated to any signature,
 * revealing nothing of the signing key) rather than asking operators for one more secret. Rotating
 * the signing key changes fingerprints: a retry across a rotation with a kept key answers 422.
 */
export function fingerprintSecretOf(signingKey: string): string {
  // The scalar, not the PEM text: the same key in PKCS#8 or SEC1 form gives the same secret.
  const scalar = createPrivateKey(signingKey).export({ format: 'jwk' }).d!;
  const derived = hkdfSync(
    'sha256',
    Buffer.from(scalar, 'base64url'),
    Buffer.alloc(0),
    'shop idempotency fingerprint v1',
    32,
  );
  return Buffer.from(derived).toString('base64url');
}
