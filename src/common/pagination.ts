import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { invalidField, isStorableText } from './validation';

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Opaque cursor from the previous page',
    example: 'eyJrIjoiMjAyNi0xMS0yMlQxMDowMDowMFoiLCJpZCI6IjEyMyJ9',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset pagination: the cursor is the (sort key, id) of the last item, opaque to clients. */
export interface Cursor {
  k: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** What a list's cursor carries as its sort key, and as its id. */
export type CursorKey = 'timestamp' | 'micros' | 'number' | 'text';
export type CursorId = 'uuid' | 'serial';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `Date.toISOString()` of a year PostgreSQL and JavaScript both hold. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function keyIsValid(k: string, kind: CursorKey): boolean {
  switch (kind) {
    case 'timestamp':
      return ISO_TIMESTAMP.test(k) && new Date(k).toISOString() === k;
    case 'micros':
      // Microseconds since 1970 that fit a bigint and land inside timestamptz's range.
      return /^\d{1,18}$/.test(k);
    case 'number':
      return k.trim() !== '' && Number.isFinite(Number(k));
    case 'text':
      return k.length <= 500 && isStorableText(k);
  }
}

export const isUuid = (s: string) => UUID.test(s);

const idIsValid = (id: string, kind: CursorId) => (kind === 'uuid' ? isUuid(id) : /^\d{1,15}$/.test(id));

/**
 * The one decoder of list cursors: a cursor this server did not make (wrong encoding, shape, key
 * or id) is a 400 naming `cursor`, before any query or response byte.
 */
export function decodeCursor(raw: string | undefined, key: CursorKey, id: CursorId = 'uuid'): Cursor | null {
  if (!raw) return null;
  try {
    const c: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      typeof c === 'object' &&
      c !== null &&
      typeof (c as Cursor).k === 'string' &&
      typeof (c as Cursor).id === 'string' &&
      keyIsValid((c as Cursor).k, key) &&
      idIsValid((c as Cursor).id, id)
    )
      return { k: (c as Cursor).k, id: (c as Cursor).id };
  } catch {
    // fall through to the typed error
  }
  throw invalidField('cursor', 'cursor is not valid');
}

/** Takes rows fetched with limit + 1 and builds the page. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (r: R) => T,
  cursorOf: (r: R) => Cursor,
): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(map), nextCursor: more ? encodeCursor(cursorOf(items[items.length - 1])) : null };
}
