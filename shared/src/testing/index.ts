import { Writable } from 'node:stream';
import type { Express } from 'express';
import { generateDevKeys } from '../auth/devKeys.ts';
import { signServiceToken, signUserToken } from '../auth/tokens.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { startServer, type RunningServer } from '../http/startServer.ts';

/** Test helpers shared by every package's tests (not used by running services). */
export const testKeys = generateDevKeys();
export const authEnvFor = (keys = testKeys) => ({
  JWT_PUBLIC_KEY: keys.publicKey,
  JWT_PRIVATE_KEY: keys.privateKey,
  SERVICE_TOKEN_SECRET: keys.serviceSecret,
});

/**
 * An environment for a service's `readConfig` in tests: the test keys, NODE_ENV=test, and the
 * given variables (undefined ones left out, so the service's own default applies).
 */
export function testEnv(variables: Record<string, string | number | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', ...authEnvFor() };
  for (const [name, value] of Object.entries(variables)) if (value !== undefined) env[name] = String(value);
  return env;
}

export const userToken = (userId: string, ttlSeconds = 600) =>
  signUserToken(testKeys.privateKey, userId, ttlSeconds);
export const serviceToken = (service = 'test-suite') => signServiceToken(testKeys.serviceSecret, service);
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A logger whose lines are kept in memory, to assert what was (and was not) logged. */
export function captureLogs(service = 'test'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(service, 'debug', sink), lines };
}

/** Serves an app on 127.0.0.1 on a free port; the caller closes it. */
export function listen(
  app: Express,
  logger = createLogger('test', 'silent'),
  onClose?: () => Promise<void> | void,
): Promise<RunningServer> {
  return startServer(app, { port: 0, host: '127.0.0.1', logger, onClose, shutdownTimeoutMs: 1000 });
}
export * from './routes.ts';
export * from './waitUntil.ts';
export * from './scratchFilesystems.ts';
export * from './sqliteLockHolder.ts';
