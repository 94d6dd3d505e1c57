import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PUBLIC_KEY_VARIABLES } from '@shop/shared';
import { SHOP_APIS, callersOf } from '@shop/shared/contracts';
import { LOCAL_PROCESSES } from '@shop/shared/startup';
import { REPO_ROOT } from '../stack/processes.ts';

const compose = parse(readFileSync(resolve(REPO_ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(resolve(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
const node24 = readFileSync(resolve(REPO_ROOT, 'deploy/node24.env'), 'utf8');
const SERVICES = ['user-service', 'order-service', 'payment-service', 'notification-service'] as const;

// What runs in CI is the images (deploy/test, after deploy/podman/build-images.sh); these check
// that the compose file, which CI cannot run (no MongoDB image there), uses them the same way.
describe('deployment files', () => {
  it('the compose file runs the images CI builds, each from the Dockerfile with its build arg and port', () => {
    for (const name of SERVICES) {
      const service = compose.services[name];
      const { port, portVariable } = LOCAL_PROCESSES[name];
      expect(service.image).toBe(`shop/${name}:latest`);
      expect(service.build).toEqual({
        context: '..',
        dockerfile: 'deploy/Dockerfile',
        args: { SERVICE: name },
      });
      expect(service.environment[portVariable]).toBe(port);
      expect(service.ports).toEqual([`${port}:${port}`]);
      expect(service.environment.NODE_ENV).toBe('production');
    }
  });

  it('the user-service gets a real MongoDB and the SQLite services keep their files on volumes', () => {
    expect(compose.services.mongo.image).toMatch(/^mongo:/);
    expect(compose.services['user-service'].environment.MONGODB_URI).toBe('mongodb://mongo:27017/shop');
    for (const name of ['order-service', 'payment-service', 'notification-service']) {
      const [volume, mountPoint] = compose.services[name].volumes[0].split(':');
      expect(Object.keys(compose.volumes)).toContain(volume);
      const dbVariable = `${name.split('-')[0]!.toUpperCase()}_DB_PATH`;
      expect(compose.services[name].environment[dbVariable]).toMatch(new RegExp(`^${mountPoint}/`));
    }
  });

  it("each service mounts its own signing key and its callers' public keys (from its contract), and no other service's private key", () => {
    for (const name of SERVICES) {
      const service = compose.services[name];
      // Its own tokens (an operator endpoint) it verifies with the public half of its signing key.
      const callers = callersOf(SHOP_APIS[name]).filter((caller) => caller !== name);
      expect(service.environment.SERVICE_SIGNING_KEY, 'never taken from the shared .env').toBe('');
      expect(service.environment.SERVICE_SIGNING_KEY_FILE).toBe(`/run/secrets/${name}-key`);
      expect([...service.secrets].sort()).toEqual(
        [`${name}-key`, ...callers.map((caller) => `${caller}-public-key`)].sort(),
      );
      for (const caller of callers) {
        expect(service.environment[`${PUBLIC_KEY_VARIABLES[caller]}_FILE`]).toBe(
          `/run/secrets/${caller}-public-key`,
        );
      }
      expect(compose.secrets[`${name}-key`]).toEqual({ file: `./keys/${name}.key.pem` });
    }
  });

  it('the image is multi-stage from a base image argument (official Node 24 by default), runs compiled code as node', () => {
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=node:24-bookworm-slim$/m);
    expect(dockerfile.match(/^FROM \$\{BASE_IMAGE\}/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*@shop\/shared\/healthcheck/m);
  });

  it('the image compiles native modules against the same Node 24 headers as CI (deploy/node24.env)', () => {
    const headers = /^NODE24_ADDON_HEADERS=(.+)$/m.exec(node24)![1];
    expect(dockerfile).toContain(`ARG NODE24_ADDON_HEADERS=${headers}`);
  });
});
