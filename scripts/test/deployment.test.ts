import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../stack/processes.ts';

const compose = parse(readFileSync(resolve(REPO_ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(resolve(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
const SERVICES = ['user-service', 'order-service', 'payment-service', 'notification-service'];

describe('deployment files (no container engine here, so they are checked, not run)', () => {
  it('the compose file runs the four services from the Dockerfile, each with its own build arg and port', () => {
    for (const [i, name] of SERVICES.entries()) {
      const service = compose.services[name];
      expect(service.build).toEqual({
        context: '..',
        dockerfile: 'deploy/Dockerfile',
        args: { SERVICE: name },
      });
      expect(service.ports).toEqual([`${3001 + i}:${3001 + i}`]);
      expect(service.environment.NODE_ENV).toBe('production');
    }
  });

  it('the user-service gets a real MongoDB and the SQLite services keep their files on volumes', () => {
    expect(compose.services.mongo.image).toMatch(/^mongo:/);
    expect(compose.services['user-service'].environment.MONGODB_URI).toBe('mongodb://mongo:27017/shop');
    for (const name of ['order-service', 'payment-service', 'notification-service']) {
      const volume = compose.services[name].volumes[0].split(':')[0];
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('the image is multi-stage and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
