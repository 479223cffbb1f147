/**
 * PostgreSQL errors by SQLSTATE and constraint name, never by message text. The driver's error
 * (node-postgres or PGlite) arrives bare, or wrapped by Drizzle as the `cause` of a
 * DrizzleQueryError, so each helper looks through the `cause` chain for the first error with a code.
 */
interface PgError {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/** The first error in the `cause` chain that carries a SQLSTATE, if any. */
const pgErrorOf = (e: unknown): PgError | undefined => {
  let current = e;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const err = current as PgError;
    if (typeof err.code === 'string') return err;
    current = err.cause;
  }
  return undefined;
};

/** The SQLSTATE of a database error, bare or wrapped. */
export const pgCodeOf = (e: unknown): string | undefined => pgErrorOf(e)?.code as string | undefined;

/** The name of the constraint (or unique index) a database error names, if any. */
export const constraintOf = (e: unknown): string | undefined => {
  const constraint = pgErrorOf(e)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
};

/** A unique constraint or unique index refused the row; with `constraint`, only that one. */
export const isUniqueViolation = (e: unknown, constraint?: string): boolean =>
  pgCodeOf(e) === UNIQUE_VIOLATION && (constraint === undefined || constraintOf(e) === constraint);

/** A foreign key refused the row or the delete; with `constraint`, only that one. */
export const isForeignKeyViolation = (e: unknown, constraint?: string): boolean =>
  pgCodeOf(e) === FOREIGN_KEY_VIOLATION && (constraint === undefined || constraintOf(e) === constraint);
