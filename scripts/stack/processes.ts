import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type ProcessName =
  | 'stripe-sandbox'
  | 'gmail-sandbox'
  | 'user-service'
  | 'order-service'
  | 'notification-service'
  | 'payment-service';

export type Ports = Record<ProcessName, number>;

/** The ports of the dev stack (the same as DESIGN.md and .env.example). */
export const DEFAULT_PORTS: Ports = {
  'stripe-sandbox': 12111,
  'gmail-sandbox': 8025,
  'user-service': 3001,
  'order-service': 3002,
  'payment-service': 3003,
  'notification-service': 3004,
};

export interface ProcessSpec {
  name: ProcessName;
  /** Package folder, relative to the repo root; `src/main.ts` is its entry. */
  dir: string;
  /** The path that answers 200 once the process can do its work. */
  readyPath: string;
  env: Record<string, string>;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

/**
 * What each process of the stack gets. Every variable a service reads has a working default, so
 * only the ports and the neighbours' URLs are set here; anything in the caller's environment
 * (e.g. STRIPE_SECRET_KEY, MONGODB_URI) wins over these.
 */
export function processSpecs(
  ports: Ports,
  options: { sandboxStripe: boolean; sandboxGmail: boolean },
): ProcessSpec[] {
  const urls = {
    USER_SERVICE_URL: url(ports['user-service']),
    ORDER_SERVICE_URL: url(ports['order-service']),
    PAYMENT_SERVICE_URL: url(ports['payment-service']),
    NOTIFICATION_SERVICE_URL: url(ports['notification-service']),
  };
  const servicePorts = {
    USER_SERVICE_PORT: String(ports['user-service']),
    ORDER_SERVICE_PORT: String(ports['order-service']),
    PAYMENT_SERVICE_PORT: String(ports['payment-service']),
    NOTIFICATION_SERVICE_PORT: String(ports['notification-service']),
  };
  const common = { ...urls, ...servicePorts };
  const specs: ProcessSpec[] = [];
  if (options.sandboxStripe) {
    specs.push({
      name: 'stripe-sandbox',
      dir: 'sandboxes/stripe-sandbox',
      readyPath: '/health',
      env: {
        PORT: String(ports['stripe-sandbox']),
        STRIPE_SANDBOX_WEBHOOK_URL: `${urls.PAYMENT_SERVICE_URL}/api/webhooks/stripe`,
      },
    });
  }
  if (options.sandboxGmail) {
    specs.push({
      name: 'gmail-sandbox',
      dir: 'sandboxes/gmail-sandbox',
      readyPath: '/health',
      env: { PORT: String(ports['gmail-sandbox']) },
    });
  }
  specs.push(
    { name: 'user-service', dir: 'services/user-service', readyPath: '/ready', env: common },
    { name: 'order-service', dir: 'services/order-service', readyPath: '/ready', env: common },
    {
      name: 'notification-service',
      dir: 'services/notification-service',
      readyPath: '/ready',
      env: { ...common, ...(options.sandboxGmail ? { GMAIL_API_URL: url(ports['gmail-sandbox']) } : {}) },
    },
    {
      name: 'payment-service',
      dir: 'services/payment-service',
      readyPath: '/ready',
      env: { ...common, ...(options.sandboxStripe ? { STRIPE_API_URL: url(ports['stripe-sandbox']) } : {}) },
    },
  );
  return specs;
}
