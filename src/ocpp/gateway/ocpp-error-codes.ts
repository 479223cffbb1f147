import type { ErrorCode } from '../../common/domain-error';
import { OCPP16, type Subprotocol } from './charger-admission';

/** The CALLERROR codes of OCPP-J 1.6 (section 4.2.3, with the errata's spellings). */
export type Ocpp16ErrorCode =
  | 'NotImplemented'
  | 'NotSupported'
  | 'InternalError'
  | 'ProtocolError'
  | 'SecurityError'
  | 'FormationViolation'
  | 'PropertyConstraintViolation'
  | 'OccurrenceConstraintViolation'
  | 'TypeConstraintViolation'
  | 'GenericError';

/** How a DomainError thrown by a handler's service reaches the charger, in its protocol's words. */
export function ocppErrorCodeOf(code: ErrorCode, protocol: Subprotocol): string {
  const code16 = ocpp16ErrorCodeOf(code);
  return protocol === OCPP16 ? code16 : as201ErrorCode(code16);
}

function ocpp16ErrorCodeOf(code: ErrorCode): Ocpp16ErrorCode {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
    case 'NOT_FOUND':
      return 'PropertyConstraintViolation';
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'FORBIDDEN':
    case 'SIGNATURE_MISSING':
    case 'SIGNATURE_INVALID':
    case 'TIMESTAMP_OUT_OF_WINDOW':
    case 'NONCE_REUSED':
      return 'SecurityError';
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'WEBHOOK_TARGET_NOT_ALLOWED':
      return 'NotSupported';
    case 'ENVELOPE_INVALID':
      return 'FormationViolation';
    case 'PAYLOAD_TOO_LARGE':
      return 'OccurrenceConstraintViolation';
    case 'CONFLICT':
    case 'USERNAME_TAKEN':
    case 'CHARGE_POINT_ID_TAKEN':
    case 'ID_TAG_TAKEN':
    case 'SLUG_TAKEN':
    case 'CONNECTOR_RESERVED':
    case 'UNSUPPORTED_BY_PROTOCOL':
    case 'RATE_LIMITED':
    case 'STATION_OFFLINE':
    case 'CHARGER_REJECTED':
    case 'CHARGER_TIMEOUT':
    case 'CHARGER_ERROR':
    case 'CONNECTOR_BUSY':
    case 'CONNECTOR_UNAVAILABLE':
    case 'ALREADY_CHARGING':
    case 'ID_TAG_REJECTED':
    case 'NO_TARIFF':
    case 'SESSION_NOT_ACTIVE':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'SERVICE_UNAVAILABLE':
    case 'INTERNAL_ERROR':
      return 'InternalError';
  }
}

/**
 * ocpp-rpc answers frames it cannot parse with OCPP 2.0.1 codes (RpcFrameworkError,
 * MessageTypeNotSupported) even on an ocpp1.6 socket; 1.6 has no such codes. A frame that is not
 * JSON or not a well-formed message array is a FormationViolation in 1.6 terms (and FormatViolation
 * is the 1.6 errata's FormationViolation); an unknown message type is a ProtocolError.
 */
export function as16ErrorCode(code: string): string {
  switch (code) {
    case 'RpcFrameworkError':
    case 'FormatViolation':
      return 'FormationViolation';
    case 'MessageTypeNotSupported':
      return 'ProtocolError';
    case 'OccurenceConstraintViolation':
      return 'OccurrenceConstraintViolation';
    default:
      return code;
  }
}

/**
 * A CALLERROR code in OCPP-J 2.0.1's spelling (§4.3): ocpp-rpc writes
 * "OccurenceConstraintViolation", and 1.6's FormationViolation is 2.0.1's FormatViolation.
 */
export function as201ErrorCode(code: string): string {
  switch (code) {
    case 'OccurenceConstraintViolation':
      return 'OccurrenceConstraintViolation';
    case 'FormationViolation':
      return 'FormatViolation';
    default:
      return code;
  }
}

/** A CALLERROR code in the words of the connection's protocol. */
export function errorCodeIn(protocol: Subprotocol, code: string): string {
  return protocol === OCPP16 ? as16ErrorCode(code) : as201ErrorCode(code);
}

/**
 * The CALLERROR for a frame that failed the OCPP 1.6 JSON schema, from the first failing keyword,
 * following the 1.6 definitions (OCPP-J 1.6 §4.2.3): a wrong JSON type is a
 * TypeConstraintViolation, a missing or surplus item an OccurrenceConstraintViolation, and a value
 * outside its enumeration, length, range or pattern a PropertyConstraintViolation. ocpp-rpc calls
 * several of these FormatViolation, which 1.6 reserves for frames that are not well-formed.
 */
export function schemaErrorCode16(keyword: string | undefined, fallback: string): string {
  switch (keyword) {
    case 'type':
      return 'TypeConstraintViolation';
    case 'required':
    case 'minItems':
    case 'maxItems':
    case 'additionalItems':
    case 'minProperties':
    case 'maxProperties':
      return 'OccurrenceConstraintViolation';
    case 'enum':
    case 'const':
    case 'maxLength':
    case 'minLength':
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
    case 'multipleOf':
    case 'pattern':
    case 'format':
    case 'additionalProperties':
      return 'PropertyConstraintViolation';
    default:
      return as16ErrorCode(fallback);
  }
}

/**
 * Rewrites an outgoing CALLERROR frame in place into the terms of the connection's protocol; schema
 * details keep the errors only. The schema keywords map the same way in both: OCPP-J 2.0.1 §4.3
 * defines the four constraint violations as 1.6 does.
 */
export function rewriteCallError(frame: unknown[], protocol: Subprotocol): void {
  const details = frame[4] as { errors?: { keyword?: string }[] } | undefined;
  const errors = Array.isArray(details?.errors) ? details.errors : undefined;
  if (errors) {
    frame[2] = errorCodeIn(protocol, schemaErrorCode16(errors[0]?.keyword, String(frame[2])));
    // The library echoes the whole offending payload; the charger has it already.
    frame[4] = { errors };
  } else {
    frame[2] = errorCodeIn(protocol, String(frame[2]));
  }
}
