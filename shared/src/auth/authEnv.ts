import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/loadConfig.ts';
import type { ServiceName } from '../contracts/endpoint.ts';
import { loadOrCreateDevKeys } from './devKeys.ts';
import { checkedServiceKey, fingerprintSecretOf, publicKeyOf } from './serviceKeys.ts';

/** The variable holding each service's public key, read by the services it may call. */
export const PUBLIC_KEY_VARIABLES = {
  'user-service': 'USER_SERVICE_PUBLIC_KEY',
  'order-service': 'ORDER_SERVICE_PUBLIC_KEY',
  'payment-service': 'PAYMENT_SERVICE_PUBLIC_KEY',
  'notification-service': 'NOTIFICATION_SERVICE_PUBLIC_KEY',
} as const satisfies Record<ServiceName, string>;

const pemSetting = z.string().optional();

/**
 * Auth variables; all optional in development, where generated dev keys fill the gaps. Each PEM
 * is given inline (`\n` for newlines) or as a path in the `_FILE` variable (a mounted Secret).
 */
export const authEnv = {
  JWT_PUBLIC_KEY: pemSetting,
  JWT_PUBLIC_KEY_FILE: pemSetting,
  JWT_PRIVATE_KEY: pemSetting,
  JWT_PRIVATE_KEY_FILE: pemSetting,
  /** This service's own private key: it signs the service tokens of its calls to other services. */
  SERVICE_SIGNING_KEY: pemSetting,
  SERVICE_SIGNING_KEY_FILE: pemSetting,
  /** The public keys of the services that may call this one (the others are not read). */
  USER_SERVICE_PUBLIC_KEY: pemSetting,
  USER_SERVICE_PUBLIC_KEY_FILE: pemSetting,
  ORDER_SERVICE_PUBLIC_KEY: pemSetting,
  ORDER_SERVICE_PUBLIC_KEY_FILE: pemSetting,
  PAYMENT_SERVICE_PUBLIC_KEY: pemSetting,
  PAYMENT_SERVICE_PUBLIC_KEY_FILE: pemSetting,
  NOTIFICATION_SERVICE_PUBLIC_KEY: pemSetting,
  NOTIFICATION_SERVICE_PUBLIC_KEY_FILE: pemSetting,
};

type AuthEnv = { NODE_ENV: string } & { [K in keyof typeof authEnv]?: string };
type PemVariable = keyof typeof authEnv & `${string}_KEY`;

export interface AuthKeys {
  /** PEM (ES256) that verifies user tokens. */
  publicKey: string;
  /** PEM (ES256) that signs user tokens: only the user-service asks for it. */
  privateKey?: string;
  /** This service's name: the audience a service token must carry to be accepted here. */
  service: ServiceName;
  /** PEM (ES256, P-256) this service signs its own service tokens with. */
  signingKey: string;
  /** PEMs of the services that may call this one, by name: a service token is verified with its caller's. */
  callerKeys: Partial<Record<ServiceName, string>>;
  /** The HMAC key of Idempotency-Key request fingerprints, derived from `signingKey`. */
  fingerprintSecret: string;
}

/** The PEM of a variable, or of the file its `_FILE` variable names; undefined when neither is set. */
function pem(env: AuthEnv, name: PemVariable): { value: string; variable: string } | undefined {
  const value = env[name];
  if (value) return { value: value.replace(/\\n/g, '\n'), variable: name };
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  try {
    return { value: readFileSync(file, 'utf8'), variable: `${name}_FILE` };
  } catch {
    throw new ConfigError(`Invalid configuration: ${name}_FILE cannot be read (got ${JSON.stringify(file)})`);
  }
}

/**
 * Resolves the keys `service` needs: the user-token public key (and private key, for the
 * user-service), its own signing key, and the public key of each service in `callers` (derived from
 * its contract: see callersOf). Configured values win; outside production anything missing is taken
 * from the generated dev keys; in production a missing value stops start-up, naming every one.
 */
export function resolveAuthKeys(
  env: AuthEnv,
  options: { service: ServiceName; callers: readonly ServiceName[]; needsPrivateKey: boolean },
): AuthKeys {
  const { service, callers, needsPrivateKey } = options;
  let publicKey = pem(env, 'JWT_PUBLIC_KEY')?.value;
  let privateKey = pem(env, 'JWT_PRIVATE_KEY')?.value;
  const signing = pem(env, 'SERVICE_SIGNING_KEY');
  // A service that accepts its own tokens (an operator endpoint) verifies them with the public half
  // of its signing key: nothing to configure.
  const others = callers.filter((caller) => caller !== service);
  const callerPems = others.map((caller) => ({ caller, found: pem(env, PUBLIC_KEY_VARIABLES[caller]) }));

  const missing = [
    !publicKey && 'JWT_PUBLIC_KEY',
    needsPrivateKey && !privateKey && 'JWT_PRIVATE_KEY',
    !signing && 'SERVICE_SIGNING_KEY',
    ...callerPems.filter(({ found }) => !found).map(({ caller }) => PUBLIC_KEY_VARIABLES[caller]),
  ].filter((name): name is string => Boolean(name));
  if (missing.length > 0 && env.NODE_ENV === 'production') {
    const names = missing.map((name) => `${name} (or ${name}_FILE)`);
    throw new ConfigError(`Invalid configuration: ${names.join(', ')} must be set in production (not set)`);
  }
  const dev = missing.length > 0 ? loadOrCreateDevKeys() : undefined;
  // Keep a configured pair together; mixing a configured key with a generated one cannot verify.
  if (dev && !publicKey && !privateKey) [publicKey, privateKey] = [dev.publicKey, dev.privateKey];
  if (!publicKey)
    throw new ConfigError('Invalid configuration: JWT_PUBLIC_KEY must be set with JWT_PRIVATE_KEY (not set)');
  if (needsPrivateKey && !privateKey) {
    throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY must be set with JWT_PUBLIC_KEY (not set)');
  }

  const signingKey = signing
    ? checkedServiceKey(signing.value, signing.variable, 'private')
    : dev!.services[service].privateKey;
  const callerKeys: Partial<Record<ServiceName, string>> = {};
  for (const { caller, found } of callerPems) {
    callerKeys[caller] = found
      ? checkedServiceKey(found.value, found.variable, 'public')
      : dev!.services[caller].publicKey;
  }
  if (callers.includes(service)) callerKeys[service] = publicKeyOf(signingKey);
  return {
    publicKey,
    privateKey: needsPrivateKey ? privateKey : undefined,
    service,
    signingKey,
    callerKeys,
    fingerprintSecret: fingerprintSecretOf(signingKey),
  };
}
