import type { SqliteDatabase } from '@shop/shared';
import type { OrderStatus } from '@shop/shared/contracts';
import { uuidv7 } from '../domain/ids.ts';
import { movesTo } from '../domain/statusMachine.ts';

export interface SeedOrder {
  id?: string;
  user_id: string;
  product_name: string;
  quantity: number;
  unit_amount: number;
  currency: string;
  status?: OrderStatus;
  /** ISO time; default now. Also used for updated_at and the history entries. */
  created_at?: string;
}

export interface SeedOptions {
  /** Also write the history that leads to each order's status (default true). */
  history?: boolean;
  /** Actor recorded in that history (default `service:seed`). */
  actor?: string;
}

/**
 * Bulk-inserts orders straight into an order database (opened with openOrderDatabase), for
 * benchmarks and demos: one transaction, prepared statements, a large page cache, and - when the
 * table starts empty - the list indexes built once at the end instead of row by row.
 * Accepts any iterable (a generator keeps memory flat). Returns how many orders were inserted;
 * if any row is refused, nothing is kept.
 */
export function seedOrders(
  db: SqliteDatabase,
  orders: Iterable<SeedOrder>,
  options: SeedOptions = {},
): number {
  const { history = true, actor = 'service:seed' } = options;
  const insertOrder = db.prepare(
    `INSERT INTO orders (id, user_id, product_name, quantity, unit_amount, amount, currency, status,
                         created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO order_status_history (order_id, from_status, to_status, actor, at) VALUES (?, ?, ?, ?, ?)`,
  );
  const insertAll = db.transaction(() => {
    const rebuild = db.prepare('SELECT 1 FROM orders LIMIT 1').get() === undefined ? dropIndexes(db) : [];
    let count = 0;
    const now = new Date().toISOString();
    for (const order of orders) {
      const at = order.created_at ?? now;
      const id = order.id ?? uuidv7(Date.parse(at));
      const status = order.status ?? 'Pending';
      const amount = order.unit_amount * order.quantity;
      const { user_id, product_name, quantity, unit_amount, currency } = order;
      insertOrder.run(id, user_id, product_name, quantity, unit_amount, amount, currency, status, at, at);
      if (history) {
        insertHistory.run(id, null, 'Pending', actor, at);
        for (const move of movesTo(status)) insertHistory.run(id, move.from, move.to, actor, at);
      }
      count++;
    }
    for (const sql of rebuild) db.exec(sql);
    return count;
  });

  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144'); // 256 MiB while loading, so index pages stay in memory
  try {
    return insertAll.immediate();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/** Drops the orders table's declared indexes (not its UNIQUE constraint) and returns their CREATE statements. */
function dropIndexes(db: SqliteDatabase): string[] {
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL`,
    )
    .all() as Array<{ name: string; sql: string }>;
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  return indexes.map((index) => index.sql);
}
