import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateBy, ValidateIf } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, FieldError } from './domain-error';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export const invalidField = (field: string, error: string) =>
  new DomainError('VALIDATION_FAILED', error, { fields: [{ field, errors: [error] }] });

/**
 * Objects and arrays nested deeper than this are refused before anything recurses over them
 * (class-transformer overflows the stack near 3 000 levels); no request of the API nests past 6.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * PostgreSQL text cannot hold NUL, and UTF-8 cannot encode a UTF-16 surrogate without its pair:
 * either fails the query. A string with one is refused at the edge instead.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (s: string) => !UNSTORABLE.test(s);

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** `s` with each NUL and unpaired surrogate replaced by U+FFFD, for text kept rather than refused. */
export const storableText = (s: string) => (isStorableText(s) ? s : s.replace(UNSTORABLE_ALL, '\uFFFD'));

/**
 * A copy of a value with every NUL and unpaired surrogate in a string (or key) replaced by
 * U+FFFD, or the value itself when there is none: for what a charger sent, kept marked rather
 * than refused (firmware pads vendor strings with NULs).
 */
export function storableValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  // Past the nesting any schema allows, a value is left as it is (and the stack stays bounded).
  if (depth > MAX_INPUT_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => storableValue(v, depth + 1));
    return items.every((v, i) => v === value[i]) ? value : items;
  }
  if (value === null || typeof value !== 'object') return value;
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const key = isStorableText(k) ? k : storableText(k);
    const item = storableValue(v, depth + 1);
    if (key !== k || item !== v) changed = true;
    return [key, item] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}

/**
 * The first field of `value` that no column could store (a string or key with NUL or a lone
 * surrogate), or the nesting limit passed. Iterative, so a deep value cannot overflow the stack.
 */
export function unstorableField(value: unknown, root: string): FieldError | null {
  const stack: Array<{ v: unknown; field: string; depth: number }> = [{ v: value, field: root, depth: 0 }];
  while (stack.length > 0) {
    const { v, field, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v))
        return { field, errors: [`${field} must not contain NUL characters or unpaired surrogates`] };
      continue;
    }
    // A raw body (a Buffer) is bytes, not text: no column takes it as a string.
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      const where = root || 'body';
      return { field: where, errors: [`${where} must not nest deeper than ${MAX_INPUT_DEPTH} levels`] };
    }
    for (const [key, child] of Object.entries(v)) {
      const path = field ? `${field}.${key}` : key;
      if (!isStorableText(key))
        return { field: path, errors: [`${path} must not contain NUL characters or unpaired surrogates`] };
      stack.push({ v: child, field: path, depth: depth + 1 });
    }
  }
  return null;
}

/** Bodies the middleware has walked already: the pipe walks only those an envelope replaced. */
const checkedBodies = new WeakSet<object>();

function rejectUnstorable(value: unknown, root: string): void {
  const bad = unstorableField(value, root);
  if (bad) throw new DomainError('VALIDATION_FAILED', bad.errors.join(', '), { fields: [bad] });
}

/**
 * Express middleware, before every guard: a body or query string no column can store, or a body
 * nested past the limit, is a 400 before authentication, rate limits or the database see it.
 */
export function rejectUnstorableInput(req: Request, _res: Response, next: NextFunction): void {
  try {
    rejectUnstorable(req.body, '');
    rejectUnstorable(req.query, '');
    if (typeof req.body === 'object' && req.body !== null) checkedBodies.add(req.body as object);
    next();
  } catch (err) {
    next(err);
  }
}

/**
 * Global validation: unknown fields rejected, types converted, every bad field named. Path
 * parameters, and a body an envelope replaced after the middleware ran, get the same check first.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param') rejectUnstorable(value, metadata.data ?? 'path');
    if (
      metadata.type === 'body' &&
      !(typeof value === 'object' && value !== null && checkedBodies.has(value))
    )
      rejectUnstorable(value, metadata.data ?? '');
    return super.transform(value, metadata);
  }
}

export const validationPipe = new ApiValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    return new DomainError('VALIDATION_FAILED', fields.map((f) => f.errors.join(', ')).join('; '), {
      fields,
    });
  },
});

/**
 * `@IsOptional()` for a field that may be left out but never be null: null runs the field's
 * validators (and fails them) instead of reaching a NOT NULL column or a setting as "absent".
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** The largest value of a PostgreSQL `integer` column (and of OCPP 1.6's integer fields). */
export const INT32_MAX = 2_147_483_647;

/** REST dates: from the epoch to the last day a four-digit year can write. */
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A date (a Date or an ISO 8601 string another decorator has checked) within 1970..9999: a
 * year like 275760 is valid JavaScript but no column or charger should be handed it.
 */
export const IsInDateRange = () =>
  ValidateBy({
    name: 'isInDateRange',
    validator: {
      validate: (value: unknown) => {
        const ms =
          value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
        return !Number.isFinite(ms) || (ms >= EARLIEST_MS && ms <= LATEST_MS);
      },
      defaultMessage: (args) => `${args?.property} must be between 1970-01-01 and 9999-12-31`,
    },
  });

/**
 * A finite number with at most `places` decimals. class-validator's `maxDecimalPlaces` reads the
 * decimals from the number's text and throws on exponent notation (`3e-323`), a 500; this
 * compares the number with itself rounded instead.
 */
export const IsDecimal = (places: number) =>
  ValidateBy({
    name: 'isDecimal',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
      defaultMessage: (args) => `${args?.property} must be a number with at most ${places} decimals`,
    },
  });
