import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The containers checks run only where CI (or you) built the images: see deploy/README.md. */
export const CONTAINERS_ENABLED = process.env.SHOP_CONTAINER_TESTS === '1';
if (!CONTAINERS_ENABLED) {
  console.warn(
    '[deploy] container checks skipped: run `bash deploy/podman/build-images.sh`, then SHOP_CONTAINER_TESTS=1 (needs podman and root; `.ci/run` does both)',
  );
}

export const IMAGES = [
  'user-service',
  'order-service',
  'payment-service',
  'notification-service',
  'stripe-sandbox',
  'gmail-sandbox',
] as const;
export const image = (name: string) => `localhost/shop/${name}:latest`;

/** Runs podman with this machine's settings (deploy/podman/containers.conf); resolves with its stdout. */
export async function podman(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('podman', args, {
    env: {
      ...process.env,
      CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? resolve(REPO_ROOT, 'deploy/podman/containers.conf'),
      ...env,
    },
    maxBuffer: 16 * 2 ** 20,
  });
  return stdout.trim();
}

/** The address of a pod on podman's network (its infra container's), reachable from this host. */
export async function podIp(pod: string): Promise<string> {
  const infra = await podman(['pod', 'inspect', pod, '--format', '{{.InfraContainerID}}']);
  return podman(['inspect', infra, '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}']);
}

/** Waits until a URL answers 200 (a container starting up), or throws with what it last saw. */
export async function waitFor200(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}
