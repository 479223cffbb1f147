/** Every stable machine code the API answers with. A closed list: the HTTP map must cover each. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'TIMESTAMP_OUT_OF_WINDOW',
  'NONCE_REUSED',
  'ENVELOPE_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'USERNAME_TAKEN',
  'CHARGE_POINT_ID_TAKEN',
  'ID_TAG_TAKEN',
  'SLUG_TAKEN',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'STATION_OFFLINE',
  'CHARGER_REJECTED',
  'CHARGER_TIMEOUT',
  'CHARGER_ERROR',
  'CONNECTOR_BUSY',
  'CONNECTOR_UNAVAILABLE',
  'ALREADY_CHARGING',
  'ID_TAG_REJECTED',
  'NO_TARIFF',
  'SESSION_NOT_ACTIVE',
  'IDEMPOTENCY_KEY_REUSED',
  'CONNECTOR_RESERVED',
  'UNSUPPORTED_BY_PROTOCOL',
  'SERVICE_UNAVAILABLE',
  'WEBHOOK_TARGET_NOT_ALLOWED',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  field: string;
  errors: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[]; retryAfterSeconds?: number; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string | number) =>
  new DomainError('NOT_FOUND', `${what} ${id} not found`);
