/** What other packages use of the user-service: its start-up pieces (neighbours' tests, the bench). */
export { createApp } from './app.ts';
export { readConfig, type Config } from './config.ts';
export { buildDependencies, type Dependencies } from './dependencies.ts';
export type { UserRecord, UserStore } from './data/userStore.ts';
