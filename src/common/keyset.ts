import { SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor } from './pagination';
import { DomainError } from './domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const c = decodeCursor(raw);
  if (!c) return undefined;
  if (!/^\d{1,20}$/.test(c.k) || !UUID.test(c.id)) {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not valid', {
      fields: [{ field: 'cursor', errors: ['cursor is not valid'] }],
    });
  }
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

export const isUuid = (s: string) => UUID.test(s);
