/** What other packages use of the payment-service: its start-up pieces (tests, the bench). */
export { createApp } from './app.ts';
export { readConfig, type Config, SANDBOX_WEBHOOK_SECRET } from './config.ts';
export { buildDependencies, type Dependencies } from './dependencies.ts';
export type { PaymentStore } from './data/paymentStore.ts';
