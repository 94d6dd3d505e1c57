import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PROCESSES, generateDevKeys } from '@shop/shared';
import {
  CONTAINERS_ENABLED,
  IMAGES,
  REPO_ROOT,
  image,
  podIp,
  podman,
  waitFor200,
} from '../support/podman.ts';

const run = promisify(execFile);
const POD = `shop-ci-${process.pid}`;
const container = (name: string) => `${POD}-${name}`;
const volume = (name: string) => `${POD}-${name}-data`;
const keys = generateDevKeys();
const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;

/**
 * Production settings, as an operator gives them: keys and credentials in the environment (podman
 * passes each `-e NAME` from its own environment, so PEM newlines survive), SQLite on volumes.
 * Each service gets its own signing key (`SERVICE_SIGNING_KEY=<its PEM>`, given as a value since
 * the name is the same in every container) and the public keys of the services that may call it.
 * Stripe and Gmail are the sandboxes in the same pod: every URL keeps its 127.0.0.1 default.
 */
const SECRETS = {
  JWT_PRIVATE_KEY: keys.privateKey,
  JWT_PUBLIC_KEY: keys.publicKey,
  USER_SERVICE_PUBLIC_KEY: keys.services['user-service'].publicKey,
  ORDER_SERVICE_PUBLIC_KEY: keys.services['order-service'].publicKey,
  PAYMENT_SERVICE_PUBLIC_KEY: keys.services['payment-service'].publicKey,
  NOTIFICATION_SERVICE_PUBLIC_KEY: keys.services['notification-service'].publicKey,
  STRIPE_SECRET_KEY: 'sk_test_container_check',
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  GMAIL_CLIENT_ID: 'container-check',
  GMAIL_CLIENT_SECRET: 'container-check',
  // The refresh token the Gmail sandbox grants (it answers invalid_grant to any other, as Google does).
  GMAIL_REFRESH_TOKEN: 'sandbox-refresh-token',
};
const signingKeyOf = (name: keyof typeof keys.services) =>
  `SERVICE_SIGNING_KEY=${keys.services[name].privateKey}`;
const SETTINGS: Record<(typeof IMAGES)[number], string[]> = {
  'stripe-sandbox': ['STRIPE_WEBHOOK_SECRET'],
  'gmail-sandbox': [],
  'user-service': [
    'JWT_PRIVATE_KEY',
    'JWT_PUBLIC_KEY',
    signingKeyOf('user-service'),
    'NOTIFICATION_SERVICE_PUBLIC_KEY',
    'USER_DB_PATH=/data/users.sqlite',
  ],
  'order-service': [
    'JWT_PUBLIC_KEY',
    signingKeyOf('order-service'),
    'PAYMENT_SERVICE_PUBLIC_KEY',
    'NOTIFICATION_SERVICE_PUBLIC_KEY',
    'ORDER_DB_PATH=/data/orders.sqlite',
  ],
  'notification-service': [
    'JWT_PUBLIC_KEY',
    signingKeyOf('notification-service'),
    'USER_SERVICE_PUBLIC_KEY',
    'ORDER_SERVICE_PUBLIC_KEY',
    'PAYMENT_SERVICE_PUBLIC_KEY',
    'GMAIL_CLIENT_ID',
    'GMAIL_CLIENT_SECRET',
    'GMAIL_REFRESH_TOKEN',
    'GMAIL_API_URL=http://127.0.0.1:8025',
    'GMAIL_TOKEN_URL=http://127.0.0.1:8025/token',
    // Required with credentials, and checked against the sandbox mailbox at start.
    'GMAIL_SENDER=Shop <no-reply@shop.local>',
    'NOTIFICATION_DB_PATH=/data/notifications.sqlite',
  ],
  'payment-service': [
    'JWT_PUBLIC_KEY',
    signingKeyOf('payment-service'),
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET',
    'STRIPE_API_URL=http://127.0.0.1:12111',
    // Production refuses the Stripe sandbox; this pod pays against it, so this one process is not
    // production (everything else about it is).
    'NODE_ENV=development',
    'PAYMENT_DB_PATH=/data/payments.sqlite',
  ],
};
const hasStore = (name: string) => name.endsWith('-service');
let ip: string;
const url = (name: keyof typeof LOCAL_PROCESSES) => `http://${ip}:${LOCAL_PROCESSES[name].port}`;

describe.skipIf(!CONTAINERS_ENABLED)("the six images in one pod (services on the pod's loopback)", () => {
  beforeAll(async () => {
    await podman(['pod', 'create', '--name', POD]);
    for (const name of IMAGES) {
      const env = SETTINGS[name].flatMap((setting) => ['-e', setting]);
      const data = hasStore(name) ? ['-v', `${volume(name)}:/data`] : [];
      await podman(
        ['run', '-d', '--pod', POD, '--name', container(name), ...data, ...env, image(name)],
        SECRETS,
      );
    }
    ip = await podIp(POD);
    for (const name of IMAGES) {
      await waitFor200(`${url(name)}${hasStore(name) ? '/ready' : '/health'}`).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${name} logs:\n${await podman(['logs', container(name)])}`);
      });
    }
  });

  afterAll(async () => {
    await podman(['pod', 'rm', '-f', POD]).catch(() => undefined);
    for (const name of IMAGES.filter(hasStore))
      await podman(['volume', 'rm', '-f', volume(name)]).catch(() => undefined);
  });

  it.each(IMAGES)("%s passes its image's HEALTHCHECK, on the port its variable sets", async (name) => {
    await expect(podman(['healthcheck', 'run', container(name)])).resolves.toBe('');
  });

  it('the curl walkthrough passes against the containers: register, login, order, pay, Paid, receipt', async () => {
    const { stdout } = await run('bash', [resolve(REPO_ROOT, 'scripts/curl/main-flow.sh')], {
      env: {
        PATH: process.env.PATH,
        SHOP_ENV_FILE: 'none',
        USER_SERVICE_URL: url('user-service'),
        ORDER_SERVICE_URL: url('order-service'),
        PAYMENT_SERVICE_URL: url('payment-service'),
        GMAIL_SANDBOX_URL: url('gmail-sandbox'),
        STRIPE_SANDBOX_URL: url('stripe-sandbox'),
      },
      timeout: 60_000,
    });
    expect(stdout).toContain(
      'PASSED: register, login, verify, order, pay, Paid, one receipt, no second charge.',
    );
  });

  it.each(IMAGES.filter(hasStore))('%s keeps its SQLite file on its volume, owned by node', async (name) => {
    const listing = await podman(['exec', container(name), 'sh', '-c', 'stat -c "%U %n" /data/*.sqlite']);
    expect(listing).toMatch(/^node \/data\/\w+\.sqlite$/m);
  });

  it.each(IMAGES)('%s is still running: nothing crashed on the way', async (name) => {
    expect(await podman(['inspect', container(name), '--format', '{{.State.Status}}'])).toBe('running');
  });
});
