/**
 * The compiled statements a connection keeps, for both stores: at most PREPARED_MAX distinct
 * SQL texts (dynamic `IN (?, ?, …)` lists vary), most recently used last, the least recently
 * used let go first.
 */

/** Most distinct SQL texts kept compiled per connection. */
export const PREPARED_MAX = 256;

/** The entry for `sql`, made on first use; `drop` is told of the entry a new one pushes out. */
export function cachedStatement<S>(cache: Map<string, S>, sql: string, make: () => S, drop?: (old: S) => void): S {
  let st = cache.get(sql);
  if (st === undefined) {
    st = make();
    if (cache.size >= PREPARED_MAX) {
      const [oldSql, old] = cache.entries().next().value as [string, S];
      cache.delete(oldSql);
      drop?.(old);
    }
  } else cache.delete(sql); // most recently used last
  cache.set(sql, st);
  return st;
}
