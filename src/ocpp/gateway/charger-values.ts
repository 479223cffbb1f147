import { INT32_MAX } from '../../common/validation';

/** The ids a charger sends that this central system issued or declared, all 1.6 integers. */
const ID_FIELDS = ['connectorId', 'transactionId', 'reservationId'] as const;

/**
 * The first id field outside OCPP 1.6's integer ("32 bit" in the spec's types): its JSON schemas
 * set no bound, but no connector, transaction or reservation of this central system has such an
 * id, and the database's integer columns cannot even be asked for one.
 */
export function idOutOfRange(params: unknown): { field: string; value: number } | null {
  if (params === null || typeof params !== 'object') return null;
  for (const field of ID_FIELDS) {
    const value = (params as Record<string, unknown>)[field];
    if (typeof value === 'number' && (value < -INT32_MAX - 1 || value > INT32_MAX)) return { field, value };
  }
  return null;
}
