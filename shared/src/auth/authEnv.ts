import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/loadConfig.ts';
import { loadOrCreateDevKeys } from './devKeys.ts';

/** Auth variables; all optional in development, where generated dev keys fill the gaps. */
export const authEnv = {
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_PUBLIC_KEY_FILE: z.string().optional(),
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PRIVATE_KEY_FILE: z.string().optional(),
  SERVICE_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};

type AuthEnv = { NODE_ENV: string } & { [K in keyof typeof authEnv]?: string };

export interface AuthKeys {
  /** PEM (ES256) that verifies user tokens. */
  publicKey: string;
  /** PEM (ES256) that signs user tokens: only the user-service asks for it. */
  privateKey?: string;
  /** HMAC secret for service-to-service tokens. */
  serviceSecret: string;
}

function pem(value: string | undefined, file: string | undefined, name: string): string | undefined {
  if (value) return value.replace(/\\n/g, '\n');
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`Invalid configuration: ${name}_FILE cannot be read (got ${JSON.stringify(file)})`);
  }
}

/**
 * Resolves the keys a service needs. Configured values win; outside production anything missing is
 * taken from the generated dev keys; in production a missing value stops start-up.
 */
export function resolveAuthKeys(env: AuthEnv, options: { needsPrivateKey: boolean }): AuthKeys {
  let publicKey = pem(env.JWT_PUBLIC_KEY, env.JWT_PUBLIC_KEY_FILE, 'JWT_PUBLIC_KEY');
  let privateKey = pem(env.JWT_PRIVATE_KEY, env.JWT_PRIVATE_KEY_FILE, 'JWT_PRIVATE_KEY');
  let serviceSecret = env.SERVICE_TOKEN_SECRET;
  const missing = !publicKey || !serviceSecret || (options.needsPrivateKey && !privateKey);
  if (missing && env.NODE_ENV === 'production') {
    const names = [
      !publicKey && 'JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE)',
      options.needsPrivateKey && !privateKey && 'JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE)',
      !serviceSecret && 'SERVICE_TOKEN_SECRET',
    ].filter(Boolean);
    throw new ConfigError(`Invalid configuration: ${names.join(', ')} must be set in production (not set)`);
  }
  if (missing) {
    const dev = loadOrCreateDevKeys();
    // Keep a configured pair together; mixing a configured key with a generated one cannot verify.
    if (!publicKey && !privateKey) [publicKey, privateKey] = [dev.publicKey, dev.privateKey];
    serviceSecret ??= dev.serviceSecret;
  }
  if (!publicKey)
    throw new ConfigError('Invalid configuration: JWT_PUBLIC_KEY must be set with JWT_PRIVATE_KEY (not set)');
  if (options.needsPrivateKey && !privateKey) {
    throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY must be set with JWT_PUBLIC_KEY (not set)');
  }
  return {
    publicKey,
    privateKey: options.needsPrivateKey ? privateKey : undefined,
    serviceSecret: serviceSecret!,
  };
}
