import { SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor } from './pagination';

export { isUuid } from './pagination';

/**
 * Keyset pagination over (created_at, id). The sort key is the timestamp in integer microseconds,
 * so the cursor round-trips exactly (a JS Date would lose the microseconds PostgreSQL keeps).
 */
export const createdAtKey = (createdAt: AnyPgColumn) =>
  sql<string>`(extract(epoch from ${createdAt}) * 1000000)::bigint::text`;

export function afterCursor(
  createdAt: AnyPgColumn,
  id: AnyPgColumn,
  raw: string | undefined,
): SQL | undefined {
  const c = decodeCursor(raw, 'micros');
  if (!c) return undefined;
  return sql`(${createdAt}, ${id}) > ('epoch'::timestamptz + ${c.k}::bigint * interval '1 microsecond', ${c.id}::uuid)`;
}

export interface Keyed {
  id: string;
  cursorKey: string;
}

/** Takes rows fetched with limit + 1 and builds `{ items, nextCursor }`. */
export function keysetPage<R extends Keyed, T>(rows: R[], limit: number, map: (r: R) => T) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: more && last ? encodeCursor({ k: last.cursorKey, id: last.id }) : null,
  };
}
