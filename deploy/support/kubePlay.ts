import type { Manifest } from './manifests.ts';

export interface KubePlayInput {
  /** The manifests as podman 4.3's kube play can run them (see deploy/README.md). */
  manifests: Manifest[];
  /** The Secrets' data, to create with `podman secret create` beforehand. */
  secrets: Array<{ name: string; data: Record<string, string> }>;
  /** Each Deployment's name under kube play (its pods are <name>-pod-0, -1, ...). */
  deployments: Map<string, string>;
  /** The podman volumes kube play makes: one per claim and per emptyDir (it keeps them after kube down). */
  volumes: string[];
}

/**
 * Adapts the manifests to what podman kube play (4.3, Debian's) can run, on this machine, next to
 * other stacks. Everything else is played as written:
 * - names get a suffix, since pods, volumes and secrets are global on the machine (4.3 makes an
 *   emptyDir a named volume, named as in the pod, shared by every pod that names it alike);
 * - Secrets are given to `podman secret create` in the form 4.3 reads (its kube play cannot
 *   create them from the YAML: containers/podman#17071), with the values the caller passes;
 * - kube play publishes every containerPort on the host (it would take 3001-3004 from a dev
 *   stack), so container ports go and the probes name their port by number;
 * - there are no Services: the URLs point at each Deployment's first pod, which podman's DNS knows;
 * - no MongoDB can run here: each user-service replica keeps its users in an in-memory SQLite
 *   store (MONGODB_URI is left empty by the caller); a file would be one file for both
 *   replicas, since their emptyDir is one volume (two writers racing at start-up).
 */
export function forKubePlay(
  manifests: Manifest[],
  secretValues: Record<string, Record<string, string>>,
  suffix: string,
): KubePlayInput {
  const rename = (name: string) => `${name}${suffix}`;
  const deployments = new Map(
    manifests.filter((m) => m.kind === 'Deployment').map((m) => [m.metadata.name, rename(m.metadata.name)]),
  );
  const secrets = manifests
    .filter((m) => m.kind === 'Secret')
    .map((m) => ({ name: rename(m.metadata.name), data: secretValues[m.metadata.name] ?? {} }));
  const played = structuredClone(manifests.filter((m) => m.kind !== 'Secret'));
  const volumes: string[] = [];
  for (const m of played) {
    m.metadata.name = rename(m.metadata.name);
    if (m.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(m.data as Record<string, string>)) {
        m.data[key] = value.replace(/^http:\/\/([\w-]+):/, (whole, host: string) =>
          deployments.has(host) ? `http://${deployments.get(host)}-pod-0:` : whole,
        );
      }
    }
    if (m.kind !== 'Deployment') continue;
    const pod = m.spec.template.spec;
    for (const volume of pod.volumes ?? []) {
      if (volume.persistentVolumeClaim) {
        volume.persistentVolumeClaim.claimName = rename(volume.persistentVolumeClaim.claimName);
        volumes.push(volume.persistentVolumeClaim.claimName);
      }
      if (volume.emptyDir) {
        const name = `${m.metadata.name}-${volume.name}`;
        for (const c of pod.containers) {
          for (const mount of c.volumeMounts ?? []) if (mount.name === volume.name) mount.name = name;
        }
        volume.name = name;
        volumes.push(name);
      }
    }
    for (const c of pod.containers) {
      const ports = new Map<string, number>(
        c.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]),
      );
      delete c.ports;
      for (const probe of [c.readinessProbe, c.livenessProbe])
        probe.httpGet.port = ports.get(probe.httpGet.port) ?? probe.httpGet.port;
      for (const from of c.envFrom ?? []) from.configMapRef.name = rename(from.configMapRef.name);
      for (const variable of c.env ?? []) {
        if (variable.valueFrom?.secretKeyRef)
          variable.valueFrom.secretKeyRef.name = rename(variable.valueFrom.secretKeyRef.name);
      }
      if (c.name === 'user-service') c.env.push({ name: 'USER_DB_PATH', value: ':memory:' });
    }
  }
  return { manifests: played, secrets, deployments, volumes };
}
