export * from './userClient.ts';
export * from './orderClient.ts';
export * from './notificationClient.ts';
