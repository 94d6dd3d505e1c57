import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import { PUBLIC_KEY_VARIABLES, type AuthKeys } from '../auth/authEnv.ts';
import { generateDevKeys, type DevKeys } from '../auth/devKeys.ts';
import { fingerprintSecretOf } from '../auth/serviceKeys.ts';
import { signServiceToken, signUserToken } from '../auth/tokens.ts';
import { SERVICE_NAMES, type ServiceName } from '../contracts/endpoint.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { startServer, type RunningServer } from '../http/startServer.ts';

/** Test helpers shared by every package's tests (not used by running services). */
export const testKeys = generateDevKeys();

/**
 * The key variables `service` runs with: the user-token pair, its own signing key and every
 * service's public key (each service reads only those of its callers).
 */
export function authEnvFor(service: ServiceName, keys: DevKeys = testKeys): Record<string, string> {
  return {
    JWT_PUBLIC_KEY: keys.publicKey,
    JWT_PRIVATE_KEY: keys.privateKey,
    SERVICE_SIGNING_KEY: keys.services[service].privateKey,
    ...Object.fromEntries(
      SERVICE_NAMES.map((name) => [PUBLIC_KEY_VARIABLES[name], keys.services[name].publicKey]),
    ),
  };
}

/**
 * The keys of a service named `service` (a shop service, or a test API's name such as `demo`)
 * that accepts user tokens and the tokens of every shop service, signed with `keys`. A test API
 * signs (and keys its fingerprints) with the order-service's key: it has none of its own.
 */
export function testAuthKeys(service: string, keys: DevKeys = testKeys) {
  const signingKey = (keys.services[service as ServiceName] ?? keys.services['order-service']).privateKey;
  return {
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    service,
    signingKey,
    callerKeys: Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, keys.services[name].publicKey]),
    ) as AuthKeys['callerKeys'],
    fingerprintSecret: fingerprintSecretOf(signingKey),
  };
}

/**
 * An environment for `service`'s `readConfig` in tests: its test keys, NODE_ENV=test, and the
 * given variables (undefined ones left out, so the service's own default applies).
 */
export function testEnv(
  service: ServiceName,
  variables: Record<string, string | number | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', ...authEnvFor(service) };
  for (const [name, value] of Object.entries(variables)) if (value !== undefined) env[name] = String(value);
  return env;
}

export const userToken = (userId: string, ttlSeconds = 600) =>
  signUserToken(testKeys.privateKey, userId, ttlSeconds);
/** A token of the shop service `caller` (signed with its test key) for calls to `audience`. */
export const serviceToken = (caller: ServiceName, audience: string, ttlSeconds = 300) =>
  signServiceToken(testKeys.services[caller].privateKey, caller, audience, ttlSeconds);
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

/** Captured JSON log lines (captureLogs' `lines`), parsed; only those with message `msg` when given. */
export const logLines = (lines: string[], msg?: string): Record<string, unknown>[] =>
  lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => msg === undefined || line.msg === msg);

/**
 * The value of the sample of metric `name` whose labels include `labels`, read from a /metrics text
 * (Prometheus exposition format); 0 when there is no such sample yet (never counted).
 */
export function metricSample(metricsText: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  const sample = metricsText
    .split('\n')
    .find((line) => line.startsWith(`${name}{`) && wanted.every((pair) => line.includes(pair)));
  return sample ? Number(sample.slice(sample.lastIndexOf(' ') + 1)) : 0;
}

/** Serves an app on 127.0.0.1 on a free port; the caller closes it. */
export function listen(
  app: Express,
  logger = createLogger('test', 'silent'),
  onClose?: () => Promise<void> | void,
): Promise<RunningServer> {
  return startServer(app, { port: 0, host: '127.0.0.1', logger, onClose, shutdownTimeoutMs: 1000 });
}
/**
 * An app that forwards every request to another one set later: for two services that call each
 * other, one can listen (and so have a URL) before the other exists. Answers 503 until then.
 */
export function forwardingApp(): { app: Express; forwardTo(target: Express): void } {
  let target: Express | undefined;
  const app = express();
  app.use((req, res, next) => (target ? target(req, res, next) : res.status(503).end()));
  return { app, forwardTo: (next) => (target = next) };
}

export * from './routes.ts';
export * from './waitUntil.ts';
export * from './accounts.ts';
export * from './scratchFilesystems.ts';
export * from './sqliteLockHolder.ts';
