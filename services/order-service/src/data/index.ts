export type { HistoryEntry, ListQuery, NewOrder, OrderPage, OrderStore } from './orderStore.ts';
export { MIGRATIONS } from './migrations.ts';
export { createSqliteOrderStore, openOrderDatabase, openOrderStore } from './sqliteOrderStore.ts';
export { seedOrders, type SeedOptions, type SeedOrder } from './seedOrders.ts';
