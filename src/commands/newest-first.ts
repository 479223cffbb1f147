import { SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor } from '../common/pagination';

/**
 * Newest-first keyset pagination over (timestamp, id), the mirror of common/keyset's oldest-first:
 * the cursor key is the timestamp in integer microseconds (`createdAtKey`), exact to PostgreSQL's.
 */
export function beforeCursor(at: AnyPgColumn, id: AnyPgColumn, raw: string | undefined): SQL | undefined {
  const c = decodeCursor(raw, 'micros');
  if (!c) return undefined;
  return sql`(${at}, ${id}) < ('epoch'::timestamptz + ${c.k}::bigint * interval '1 microsecond', ${c.id}::uuid)`;
}
