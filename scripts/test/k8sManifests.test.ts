import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { K8S_DIR, SERVICES, readManifests, type Manifest } from '../../deploy/support/manifests.ts';
import { PUBLIC_KEY_VARIABLES } from '@shop/shared';
import { SHOP_APIS, callersOf } from '@shop/shared/contracts';
import { LOCAL_PROCESSES } from '@shop/shared/startup';
import { REPO_ROOT } from '../stack/processes.ts';

// The Kubernetes JSON schemas (kubernetes-models: the API's OpenAPI definitions as validators).
const MODELS: Record<string, { new (data: any): { validate(): void } }> = {
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

const all = readManifests();
const manifests = all.map(({ manifest }) => manifest);
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const find = (kind: string, name: string) => byKind(kind).find((m) => m.metadata.name === name);
const deployment = (name: string) => find('Deployment', name)!;
const container = (name: string) => deployment(name).spec.template.spec.containers[0];
const port = (name: string) => LOCAL_PROCESSES[name as keyof typeof LOCAL_PROCESSES].port;
const envExample = readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8');

describe('Kubernetes manifests (deploy/k8s)', () => {
  it.each(all.map(({ file, manifest }) => [`${file}: ${manifest.kind} ${manifest.metadata.name}`, manifest]))(
    '%s is valid against the Kubernetes schema of its kind',
    (_name, manifest) => {
      const Model = MODELS[`${(manifest as Manifest).apiVersion}/${(manifest as Manifest).kind}`];
      expect(Model, 'a kind these checks know').toBeDefined();
      expect(() => new Model!(manifest).validate()).not.toThrow();
    },
  );

  it.each(SERVICES)(
    '%s: probes on /ready and /health at its port, requests and limits, non-root, read-only root',
    (name) => {
      const c = container(name);
      const portName = c.ports.find((p: { containerPort: number }) => p.containerPort === port(name)).name;
      expect(c.image).toBe(`shop/${name}:latest`);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: portName });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: portName });
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(deployment(name).spec.template.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
      });
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
    },
  );

  it.each(['order-service', 'payment-service', 'notification-service'])(
    '%s: one replica, Recreate on update, its SQLite file on a persistent volume',
    (name) => {
      const spec = deployment(name).spec;
      expect(spec.replicas).toBe(1);
      expect(spec.strategy.type).toBe('Recreate');
      const claim = spec.template.spec.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim
        .claimName;
      expect(find('PersistentVolumeClaim', claim)).toBeDefined();
      const mount = spec.template.spec.containers[0].volumeMounts.find(
        (m: any) => m.name === 'data',
      ).mountPath;
      const dbVariable = `${name.split('-')[0]!.toUpperCase()}_DB_PATH`;
      expect(find('ConfigMap', 'shop-config')!.data[dbVariable]).toMatch(new RegExp(`^${mount}/`));
    },
  );

  it('the user-service: MongoDB from a Secret, more replicas, and a disruption budget that keeps one up', () => {
    const spec = deployment('user-service').spec;
    expect(spec.replicas).toBeGreaterThan(1);
    expect(
      container('user-service').env.find((e: any) => e.name === 'MONGODB_URI').valueFrom.secretKeyRef,
    ).toBeDefined();
    const budget = find('PodDisruptionBudget', 'user-service')!;
    expect(budget.spec.selector.matchLabels).toEqual(spec.selector.matchLabels);
    expect(budget.spec.minAvailable).toBeLessThan(spec.replicas);
  });

  it('keys and credentials come from Secrets that exist, the rest from the ConfigMap, all in .env.example', () => {
    const config = find('ConfigMap', 'shop-config')!;
    for (const name of Object.keys(config.data)) {
      expect(name, 'a secret-looking name in the ConfigMap').not.toMatch(
        /SECRET|PRIVATE|TOKEN|PASSWORD|MONGODB_URI/,
      );
      expect(envExample, `${name} in .env.example`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
    for (const name of SERVICES) {
      const c = container(name);
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'shop-config' } }]);
      for (const variable of c.env) {
        const ref = variable.valueFrom?.secretKeyRef;
        expect(ref, `${name}: ${variable.name} from a Secret`).toBeDefined();
        expect(
          find('Secret', ref.name)?.stringData?.[ref.key],
          `${name}: Secret ${ref.name} has ${ref.key}`,
        ).toBeDefined();
        expect(envExample, `${variable.name} in .env.example`).toMatch(
          new RegExp(`^#? ?${variable.name}=`, 'm'),
        );
      }
    }
    // Only the user-service signs user tokens.
    for (const name of SERVICES.filter((s) => s !== 'user-service')) {
      expect(container(name).env.map((e: any) => e.name)).not.toContain('JWT_PRIVATE_KEY');
    }
  });

  it.each(SERVICES)(
    '%s: gets its own signing key from a Secret no other Deployment names, and the public keys of exactly the services its contract lets call it',
    (name) => {
      const env = container(name).env as Array<{ name: string; valueFrom: any }>;
      const signing = env.find((e) => e.name === 'SERVICE_SIGNING_KEY')!.valueFrom.secretKeyRef;
      expect(signing).toEqual({ name: `shop-${name}-key`, key: 'SERVICE_SIGNING_KEY' });
      for (const other of SERVICES.filter((s) => s !== name)) {
        const names = container(other).env.map((e: any) => e.valueFrom?.secretKeyRef?.name);
        expect(names, `${other} is not given the key of ${name}`).not.toContain(signing.name);
      }
      const publicKeys = env.filter((e) => e.name.endsWith('_SERVICE_PUBLIC_KEY')).map((e) => e.name);
      expect(publicKeys.sort()).toEqual(
        callersOf(SHOP_APIS[name])
          .filter((caller) => caller !== name) // its own tokens: the public half of its signing key
          .map((caller) => PUBLIC_KEY_VARIABLES[caller])
          .sort(),
      );
    },
  );

  it.each(SERVICES)('%s: a Service on its port selects its pods', (name) => {
    const service = find('Service', name)!;
    expect(service.spec.selector).toEqual(deployment(name).spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([{ name: 'http', port: port(name), targetPort: 'http' }]);
    expect(find('ConfigMap', 'shop-config')!.data[`${name.split('-')[0]!.toUpperCase()}_SERVICE_URL`]).toBe(
      `http://${name}:${port(name)}`,
    );
  });

  it('kustomization.yaml applies every manifest but the secrets example', () => {
    const kustomization = parse(readFileSync(resolve(K8S_DIR, 'kustomization.yaml'), 'utf8'));
    const files = [...new Set(all.map(({ file }) => file))].filter((file) => file !== 'secrets.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });
});
