import { DomainError } from '../../common/domain-error';
import { INT32_MAX } from '../../common/validation';

/**
 * The integers a 2.0.1 station sends that Kilowatt stores in integer columns: EVSE and connector
 * numbers, the remoteStartId it issued, reservation ids. The schemas set no upper bound, but no
 * EVSE, connector, remote start or reservation of Kilowatt has a number beyond 32 bits, and the
 * database could not even be asked for one: PropertyConstraintViolation naming the field.
 */
export function requireStorableIds(fields: Record<string, number | undefined>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || (value >= 0 && value <= INT32_MAX)) continue;
    const message = `${field} ${value} is not a number Kilowatt can have issued (0 to ${INT32_MAX})`;
    throw new DomainError('VALIDATION_FAILED', message, { fields: [{ field, errors: [message] }] });
  }
}
