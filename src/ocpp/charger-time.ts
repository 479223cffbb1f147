import { DomainError } from '../common/domain-error';

// A leap second: RFC 3339 (and so the schema's date-time format) allows 23:59:60, Date does not.
const LEAP_SECOND = /^(.+T\d{2}:\d{2}):60(\.\d+)?(.*)$/i;
// PostgreSQL stores timestamps from year 1 on; the schema admits year 0000.
const EARLIEST_STORABLE_MS = Date.parse('0001-01-01T00:00:00Z') - 1;

/**
 * A charger's timestamp as an instant, for the charger-data policy to judge (sessions/charger-data
 * -policy.ts). A leap second reads as the second after it, as POSIX time does. A time the
 * database cannot store (before year 1), or that is no date at all (possible only with
 * OCPP_STRICT_VALIDATION=false), is refused: PropertyConstraintViolation naming the field.
 */
export function chargerTime(text: string, field: string): Date {
  const leap = LEAP_SECOND.exec(text);
  const at = leap ? new Date(Date.parse(`${leap[1]}:59${leap[2] ?? ''}${leap[3]}`) + 1000) : new Date(text);
  if (Number.isNaN(at.getTime()) || at.getTime() <= EARLIEST_STORABLE_MS) {
    const message = `${field} ${JSON.stringify(text)} is not a time that can be stored (year 0001 to 9999)`;
    throw new DomainError('VALIDATION_FAILED', message, { fields: [{ field, errors: [message] }] });
  }
  return at;
}

/** A charger's timestamp for a fact whose time is informative only: one that cannot be read or stored gives way to `fallback`. */
export function chargerTimeOr(text: string | undefined, fallback: Date): Date {
  if (text === undefined) return fallback;
  try {
    return chargerTime(text, 'timestamp');
  } catch {
    return fallback;
  }
}
