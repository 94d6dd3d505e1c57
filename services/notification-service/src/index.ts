/** What other packages use of the notification-service: its start-up pieces (neighbours' tests) and its MIME build (the bench). */
export { createApp } from './app.ts';
export { readConfig, type Config } from './config.ts';
export { buildDependencies, type Dependencies } from './dependencies.ts';
export type { NotificationRecord, NotificationStore } from './data/notificationStore.ts';
export { composeMime, type Envelope } from './domain/composeMime.ts';
export type { MailContent } from './domain/templates.ts';
