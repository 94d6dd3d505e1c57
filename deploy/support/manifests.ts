import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const K8S_DIR = resolve(import.meta.dirname, '../k8s');

/** A Kubernetes object as read from the YAML (only the fields the checks use are typed). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: any;
}

/** Every object in deploy/k8s (kustomization.yaml aside), with the file it came from. */
export function readManifests(): Array<{ file: string; manifest: Manifest }> {
  return readdirSync(K8S_DIR)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(resolve(K8S_DIR, file), 'utf8')).map((doc) => {
        if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
        return { file, manifest: doc.toJS({ merge: true }) as Manifest };
      }),
    );
}

export const SERVICES = ['user-service', 'order-service', 'payment-service', 'notification-service'] as const;
