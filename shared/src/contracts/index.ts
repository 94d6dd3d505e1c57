export * from './common.ts';
export * from './user.ts';
export * from './order.ts';
export * from './payment.ts';
export * from './notification.ts';
export * from './endpoint.ts';
export * from './cursor.ts';
export * from './trust.ts';
