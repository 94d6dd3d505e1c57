import { generateKeyPairSync } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES, type ServiceName } from '../contracts/endpoint.ts';

/** A PEM key pair (EC P-256, for ES256). */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/**
 * Key material for a development machine: the user-token key pair (top level) and one service-token
 * key pair per service, each service signing its calls to the others with its own private key.
 */
export interface DevKeys extends KeyPair {
  services: Record<ServiceName, KeyPair>;
}

/** `<repo>/.data/keys/dev-keys.json`: gitignored, shared by every service started from this checkout. */
export const DEV_KEYS_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../.data/keys/dev-keys.json',
);

export function generateKeyPair(): KeyPair {
  return generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/** Fresh keys; the pairs of `keep` (an older file's user-token pair) are kept. */
export function generateDevKeys(keep: Partial<DevKeys> = {}): DevKeys {
  const userPair = keep.privateKey && keep.publicKey ? keep : generateKeyPair();
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, keep.services?.[name] ?? generateKeyPair()]),
  ) as Record<ServiceName, KeyPair>;
  return { privateKey: userPair.privateKey!, publicKey: userPair.publicKey!, services };
}

const complete = (keys: Partial<DevKeys>): keys is DevKeys =>
  Boolean(keys.privateKey && keys.publicKey && SERVICE_NAMES.every((name) => keys.services?.[name]));

/**
 * Reads the dev keys, generating them on first use. Several services may start at once, so a new
 * file is written under a temporary name and linked into place: exactly one writer wins, all read
 * the same. A file from before the per-service keys keeps its user-token pair and gains the
 * service pairs, replaced whole by a rename (`pnpm start` does this once, before the services start).
 */
export function loadOrCreateDevKeys(file = DEV_KEYS_FILE): DevKeys {
  const existing = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevKeys>)
    : undefined;
  if (existing && complete(existing)) return existing;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = join(dirname(file), `.dev-keys-${process.pid}-${Date.now()}.json`);
  writeFileSync(temp, JSON.stringify(generateDevKeys(existing), null, 2), { mode: 0o600 });
  try {
    if (existing) renameSync(temp, file);
    else linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
}
