import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Key material for a development machine: the user-token key pair and the service-token secret. */
export interface DevKeys {
  privateKey: string;
  publicKey: string;
  serviceSecret: string;
}

/** `<repo>/.data/keys/dev-keys.json`: gitignored, shared by every service started from this checkout. */
export const DEV_KEYS_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../.data/keys/dev-keys.json',
);

export function generateDevKeys(): DevKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey, serviceSecret: randomBytes(32).toString('base64url') };
}

/**
 * Reads the dev keys, generating them on first use. Several services may start at once, so the file
 * is written under a temporary name and linked into place: exactly one writer wins, all read the same.
 */
export function loadOrCreateDevKeys(file = DEV_KEYS_FILE): DevKeys {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = join(dirname(file), `.dev-keys-${process.pid}-${Date.now()}.json`);
    writeFileSync(temp, JSON.stringify(generateDevKeys(), null, 2), { mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
}
