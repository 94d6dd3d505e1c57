/** What other packages use of the notification-service: its start-up pieces (neighbours' tests). */
export { createApp } from './app.ts';
export { readConfig, type Config } from './config.ts';
export { buildDependencies, type Dependencies } from './dependencies.ts';
export type { NotificationRecord, NotificationStore } from './data/notificationStore.ts';
