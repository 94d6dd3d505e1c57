/** The six processes of a local shop: each one's default port and the variables that move it. */
export const LOCAL_PROCESSES = {
  'stripe-sandbox': { port: 12111, portVariable: 'STRIPE_SANDBOX_PORT', urlVariable: 'STRIPE_SANDBOX_URL' },
  'gmail-sandbox': { port: 8025, portVariable: 'GMAIL_SANDBOX_PORT', urlVariable: 'GMAIL_SANDBOX_URL' },
  'user-service': { port: 3001, portVariable: 'USER_SERVICE_PORT', urlVariable: 'USER_SERVICE_URL' },
  'order-service': { port: 3002, portVariable: 'ORDER_SERVICE_PORT', urlVariable: 'ORDER_SERVICE_URL' },
  'notification-service': {
    port: 3004,
    portVariable: 'NOTIFICATION_SERVICE_PORT',
    urlVariable: 'NOTIFICATION_SERVICE_URL',
  },
  'payment-service': { port: 3003, portVariable: 'PAYMENT_SERVICE_PORT', urlVariable: 'PAYMENT_SERVICE_URL' },
} as const;

export type LocalProcessName = keyof typeof LOCAL_PROCESSES;

const isSet = (value: string | undefined) => value !== undefined && value !== '';

/**
 * Fills every URL the environment leaves unset from the ports it sets, so a port moved in `.env`
 * moves the URLs that point at it: `ORDER_SERVICE_PORT=4002` alone makes `ORDER_SERVICE_URL`
 * `http://127.0.0.1:4002` for its neighbours, the curl script and the stack. The Stripe and Gmail
 * API URLs point at the sandboxes only while no real credentials are set. Set values always win.
 */
export function fillLocalUrls(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  for (const { port, portVariable, urlVariable } of Object.values(LOCAL_PROCESSES)) {
    if (!isSet(env[urlVariable])) {
      env[urlVariable] = `http://127.0.0.1:${isSet(env[portVariable]) ? env[portVariable] : port}`;
    }
  }
  if (!isSet(env.STRIPE_SECRET_KEY) && !isSet(env.STRIPE_API_URL))
    env.STRIPE_API_URL = env.STRIPE_SANDBOX_URL;
  const realGmail = ['GMAIL_CLIENT_ID', 'GMAIL_CLIENT_SECRET', 'GMAIL_REFRESH_TOKEN'].every((name) =>
    isSet(env[name]),
  );
  if (!realGmail && !isSet(env.GMAIL_API_URL)) env.GMAIL_API_URL = env.GMAIL_SANDBOX_URL;
  if (!isSet(env.STRIPE_SANDBOX_WEBHOOK_URL)) {
    env.STRIPE_SANDBOX_WEBHOOK_URL = `${env.PAYMENT_SERVICE_URL}/api/webhooks/stripe`;
  }
  return env;
}
