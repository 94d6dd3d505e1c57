import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_PROCESSES, fillLocalUrls, type LocalProcessName } from '@shop/shared/startup';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type ProcessName = LocalProcessName;

export type Ports = Record<ProcessName, number>;

/** The ports of the dev stack (the same as .env.example), in start order. */
export const DEFAULT_PORTS = Object.fromEntries(
  Object.entries(LOCAL_PROCESSES).map(([name, { port }]) => [name, port]),
) as Ports;

/** The variable that sets each process's port. */
export const portVariable = (name: ProcessName) => LOCAL_PROCESSES[name].portVariable;

export interface ProcessSpec {
  name: ProcessName;
  /** Package folder, relative to the repo root: `dist/main.js` or `src/main.ts` is its entry. */
  dir: string;
  /** The path that answers 200 once the process can do its work. */
  readyPath: string;
  env: Record<string, string>;
}

/**
 * What each process of the stack gets: its port and the URLs of the others (the same wiring
 * fillLocalUrls derives from ports everywhere else). Every other variable has a working default,
 * and anything in the caller's environment (e.g. STRIPE_SECRET_KEY, MONGODB_URI) wins over these.
 */
export function processSpecs(
  ports: Ports,
  options: { sandboxStripe: boolean; sandboxGmail: boolean },
): ProcessSpec[] {
  const wiring = fillLocalUrls(
    Object.fromEntries(
      Object.entries(ports).map(([name, port]) => [portVariable(name as ProcessName), String(port)]),
    ),
  ) as Record<string, string>;
  if (!options.sandboxStripe) delete wiring.STRIPE_API_URL;
  if (!options.sandboxGmail) delete wiring.GMAIL_API_URL;
  const spec = (name: ProcessName, dir: string, readyPath: string): ProcessSpec => ({
    name,
    dir,
    readyPath,
    env: wiring,
  });
  return [
    ...(options.sandboxStripe ? [spec('stripe-sandbox', 'sandboxes/stripe-sandbox', '/health')] : []),
    ...(options.sandboxGmail ? [spec('gmail-sandbox', 'sandboxes/gmail-sandbox', '/health')] : []),
    spec('user-service', 'services/user-service', '/ready'),
    spec('order-service', 'services/order-service', '/ready'),
    spec('notification-service', 'services/notification-service', '/ready'),
    spec('payment-service', 'services/payment-service', '/ready'),
  ];
}
