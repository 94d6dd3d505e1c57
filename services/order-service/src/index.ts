/** What other packages use of the order-service: its start-up pieces (neighbours' tests, the bench). */
export { createApp } from './app.ts';
export { readConfig, type Config } from './config.ts';
export { buildDependencies, type Dependencies } from './dependencies.ts';
export type { OrderStore } from './data/orderStore.ts';
