import { openSqlite, pingSqlite, sqliteIdempotencyKeys, type SqliteDatabase } from '@shop/shared';
import type { Order, OrderStatus } from '@shop/shared/contracts';
import { MIGRATIONS } from './migrations.ts';
import type { HistoryEntry, ListQuery, NewOrder, OrderPage, OrderStore } from './orderStore.ts';
import { owedMailQueue, sqliteOwedMails } from './sqliteOwedMails.ts';

const ORDER_COLUMNS =
  'id, user_id, product_name, quantity, unit_amount, amount, currency, status, created_at, updated_at';

// Keyset pagination: each query is one range scan of its index, read backwards (newest first).
export const LIST_SQL = `SELECT seq, ${ORDER_COLUMNS} FROM orders
  WHERE user_id = @user_id AND seq < @before ORDER BY seq DESC LIMIT @limit`;
export const LIST_BY_STATUS_SQL = `SELECT seq, ${ORDER_COLUMNS} FROM orders
  WHERE user_id = @user_id AND status = @status AND seq < @before ORDER BY seq DESC LIMIT @limit`;

/** Opens (creating if needed) the order database and brings its schema up to date. */
export function openOrderDatabase(path: string): SqliteDatabase {
  return openSqlite(path, MIGRATIONS);
}

/** The order store over a file (or `:memory:`); `close()` closes the database. */
export function openOrderStore(path: string): OrderStore {
  return createSqliteOrderStore(openOrderDatabase(path));
}

export function createSqliteOrderStore(db: SqliteDatabase): OrderStore {
  const insertOrder = db.prepare<[NewOrder]>(
    `INSERT INTO orders (${ORDER_COLUMNS})
     VALUES (@id, @user_id, @product_name, @quantity, @unit_amount, @amount, @currency, 'Pending',
             @created_at, @created_at)`,
  );
  const insertHistory = db.prepare<[HistoryRow]>(
    `INSERT INTO order_status_history (order_id, from_status, to_status, actor, at)
     VALUES (@order_id, @from, @to, @actor, @at)`,
  );
  const selectById = db.prepare<[string], Order>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);
  const selectPage = db.prepare<[{ user_id: string; before: number; limit: number }], OrderWithSeq>(LIST_SQL);
  const selectPageByStatus = db.prepare<
    [{ user_id: string; status: OrderStatus; before: number; limit: number }],
    OrderWithSeq
  >(LIST_BY_STATUS_SQL);
  const updateStatus = db.prepare<[{ id: string; from: OrderStatus; to: OrderStatus; at: string }]>(
    `UPDATE orders SET status = @to, updated_at = @at WHERE id = @id AND status = @from`,
  );
  const selectHistory = db.prepare<[string], HistoryEntry>(
    `SELECT from_status AS "from", to_status AS "to", actor, at
     FROM order_status_history WHERE order_id = ? ORDER BY seq`,
  );

  const oweMail = owedMailQueue(db);

  const create = db.transaction((order: NewOrder, actor: string, mailDueAt: number) => {
    insertOrder.run(order);
    insertHistory.run({ order_id: order.id, from: null, to: 'Pending', actor, at: order.created_at });
    oweMail({ order_id: order.id, user_id: order.user_id, type: 'order_created' }, mailDueAt);
    return selectById.get(order.id)!;
  });
  const move = db.transaction((id: string, from: OrderStatus, to: OrderStatus, actor: string, at: string) => {
    if (updateStatus.run({ id, from, to, at }).changes === 0) return undefined;
    insertHistory.run({ order_id: id, from, to, actor, at });
    return selectById.get(id);
  });

  return {
    create: (order, actor, mailDueAt) => create.immediate(order, actor, mailDueAt),
    findById: (id) => selectById.get(id),
    list(query: ListQuery): OrderPage {
      const params = {
        user_id: query.userId,
        before: query.before ?? Number.MAX_SAFE_INTEGER,
        limit: query.limit + 1, // one extra row tells whether another page follows
      };
      const rows = query.status
        ? selectPageByStatus.all({ ...params, status: query.status })
        : selectPage.all(params);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        orders: page.map(({ seq: _seq, ...order }) => order),
        nextBefore: rows.length > query.limit && last ? last.seq : null,
      };
    },
    // IMMEDIATE takes the write lock up front, so movers in other connections queue instead of
    // failing with SQLITE_BUSY when they try to upgrade a read lock.
    move: (id, from, to, actor, at) => move.immediate(id, from, to, actor, at),
    history: (id) => selectHistory.all(id),
    owedMails: sqliteOwedMails(db),
    idempotencyKeys: sqliteIdempotencyKeys(db),
    ping: () => pingSqlite(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}

type OrderWithSeq = Order & { seq: number };
type HistoryRow = { order_id: string; from: OrderStatus | null; to: OrderStatus; actor: string; at: string };
