import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateDevKeys, PUBLIC_KEY_VARIABLES } from '@shop/shared';
import { waitUntil } from '@shop/shared/testing';
import { registerAndLogin } from '../../e2e/support/accounts.ts';
import { forKubePlay, type KubePlayInput } from '../support/kubePlay.ts';
import { SERVICES, readManifests, type Manifest } from '../support/manifests.ts';
import { CONTAINERS_ENABLED, podIp, podman, waitFor200 } from '../support/podman.ts';

const SUFFIX = `-ci${process.pid}`;
const NETWORK = `shop-kube${SUFFIX}`;
const keys = generateDevKeys();
const METRICS_TOKEN = randomBytes(24).toString('hex');
const SECRET_VALUES = {
  'shop-tokens': { JWT_PRIVATE_KEY: keys.privateKey, JWT_PUBLIC_KEY: keys.publicKey },
  // Each service's own signing key, in its own Secret; every public key in one.
  ...Object.fromEntries(
    SERVICES.map((name) => [`shop-${name}-key`, { SERVICE_SIGNING_KEY: keys.services[name].privateKey }]),
  ),
  'shop-service-public-keys': Object.fromEntries(
    SERVICES.map((name) => [PUBLIC_KEY_VARIABLES[name], keys.services[name].publicKey]),
  ),
  'shop-metrics': { METRICS_TOKEN },
  'shop-stripe': { STRIPE_SECRET_KEY: 'sk_test_kube_play', STRIPE_WEBHOOK_SECRET: 'whsec_kube_play' },
  'shop-gmail': {
    GMAIL_CLIENT_ID: 'kube-play',
    GMAIL_CLIENT_SECRET: 'kube-play',
    GMAIL_REFRESH_TOKEN: 'kube-play',
  },
  'shop-mongodb': { MONGODB_URI: '' },
};
const dir = mkdtempSync(join(tmpdir(), 'kube-play-'));
const file = join(dir, 'shop.yaml');
let input: KubePlayInput;
const deployments = () => input.manifests.filter((m) => m.kind === 'Deployment');
const original = (name: string) =>
  readManifests().find((m) => m.manifest.kind === 'Deployment' && m.manifest.metadata.name === name)!
    .manifest;

/** Every pod kube play made for a Deployment: <name>-pod-0, -1, ... one per replica. */
const podsOf = async (deployment: Manifest) =>
  (
    await podman(['pod', 'ps', '--format', '{{.Name}}', '--filter', `name=^${deployment.metadata.name}-pod-`])
  ).split('\n');

describe.skipIf(!CONTAINERS_ENABLED)('the Kubernetes manifests under podman kube play', () => {
  beforeAll(async () => {
    input = forKubePlay(
      readManifests().map(({ manifest }) => manifest),
      SECRET_VALUES,
      SUFFIX,
    );
    for (const secret of input.secrets) {
      const data = Object.fromEntries(
        Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      );
      writeFileSync(join(dir, secret.name), JSON.stringify(data));
      await podman(['secret', 'create', secret.name, join(dir, secret.name)]);
    }
    writeFileSync(file, input.manifests.map((m) => stringify(m)).join('---\n'));
    await podman(['network', 'create', NETWORK]);
    await podman(['kube', 'play', '--network', NETWORK, file]);
  });

  afterAll(async () => {
    await podman(['kube', 'down', file]).catch(() => undefined);
    for (const secret of input?.secrets ?? [])
      await podman(['secret', 'rm', secret.name]).catch(() => undefined);
    for (const volume of input?.volumes ?? [])
      await podman(['volume', 'rm', '-f', volume]).catch(() => undefined);
    await podman(['network', 'rm', '-f', NETWORK]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SERVICES)('%s: every replica answers its readiness and liveness probes', async (name) => {
    const deployment = deployments().find((d) => d.metadata.name === `${name}${SUFFIX}`)!;
    const pods = await podsOf(deployment);
    expect(pods).toHaveLength(original(name).spec.replicas);
    const c = deployment.spec.template.spec.containers[0];
    for (const pod of pods) {
      const ip = await podIp(pod);
      for (const probe of [c.readinessProbe, c.livenessProbe]) {
        await waitFor200(`http://${ip}:${probe.httpGet.port}${probe.httpGet.path}`);
      }
    }
  });

  it('the SQLite services keep their files on the volumes their claims made', async () => {
    const volumes = (await podman(['volume', 'ls', '--format', '{{.Name}}'])).split('\n');
    for (const claim of input.manifests.filter((m) => m.kind === 'PersistentVolumeClaim')) {
      expect(volumes).toContain(claim.metadata.name);
    }
  });

  it('the pods reach each other and share the Secrets: a user registered on one orders on another, and its welcome mail crosses pods', async () => {
    const at = async (name: string) => `http://${await podIp(`${name}${SUFFIX}-pod-0`)}`;
    const [users, orders] = [await at('user-service'), await at('order-service')];
    const { token } = await registerAndLogin(`${users}:3001`, 'kube');
    const order = await fetch(`${orders}:3002/api/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ product_name: 'Keyboard', quantity: 1, price: 19.99 }),
    });
    expect(order.status).toBe(201);
    // The welcome mail: the user-service's pod reached the notification-service's, which queued it.
    await waitUntil(
      async () => {
        const metrics = await (
          await fetch(`${users}:3001/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
        ).text();
        return /http_client_request_duration_seconds_count\{[^}]*target="notification-service",method="POST",status="202"\}/.test(
          metrics,
        );
      },
      {
        what: 'the user-service to hand the welcome mail to the notification-service',
        timeoutMs: 20_000,
        intervalMs: 250,
      },
    );
  });

  it('no container stopped or restarted (kube play restarts them, as a kubelet would)', async () => {
    const containers = await podman([
      'ps',
      '-a',
      '--filter',
      `name=${SUFFIX}-pod-`,
      '--format',
      '{{.Names}}',
    ]);
    const names = containers.split('\n').filter((name) => !name.endsWith('-infra'));
    expect(names.length).toBeGreaterThanOrEqual(SERVICES.length);
    for (const name of names) {
      expect(await podman(['inspect', name, '--format', '{{.State.Status}} {{.RestartCount}}']), name).toBe(
        'running 0',
      );
    }
  });
});
