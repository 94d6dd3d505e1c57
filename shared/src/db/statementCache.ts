import type { SqliteDatabase } from './openSqlite.ts';

/**
 * Makes `db.prepare(sql)` answer the statement it prepared before for the same SQL text, so stores
 * that write their queries inline do not re-compile them on every call (SQLite statement
 * preparation was the largest single cost in the payment-service's share of a pay-order, see
 * bench/README.md). Only for constant SQL: the cache keeps one statement per distinct text, and
 * every caller of a text shares its statement, so none may switch its pluck/raw/expand modes.
 */
export function cacheStatements(db: SqliteDatabase): SqliteDatabase {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, ReturnType<typeof prepare>>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as typeof db.prepare;
  return db;
}
