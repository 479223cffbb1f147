import { SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/keyset';
import { decodeCursor } from '../common/pagination';

/**
 * Newest-first keyset pagination over (timestamp, id), the mirror of common/keyset's oldest-first:
 * the cursor key is the timestamp in integer microseconds (`createdAtKey`), exact to PostgreSQL's.
 */
export function beforeCursor(at: AnyPgColumn, id: AnyPgColumn, raw: string | undefined): SQL | undefined {
  const c = decodeCursor(raw);
  if (!c) return undefined;
  if (!/^\d{1,20}$/.test(c.k) || !isUuid(c.id)) {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not valid', {
      fields: [{ field: 'cursor', errors: ['cursor is not valid'] }],
    });
  }
  return sql`(${at}, ${id}) < ('epoch'::timestamptz + ${c.k}::bigint * interval '1 microsecond', ${c.id}::uuid)`;
}
