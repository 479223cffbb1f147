import type { OpenAPIObject } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { STATUS_CODES } from 'node:http';
import { ERROR_CODES, ErrorCode } from './common/domain-error';
import { codeOfHttpStatus, httpStatusOf } from './common/http-exception.filter';

const ERROR_REF = '#/components/schemas/ErrorResponse';

/** What each code's message reads like, for the examples. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'connectorId must be a positive integer',
  BAD_REQUEST: 'Malformed JSON body',
  UNAUTHENTICATED: 'Missing or invalid credentials',
  INVALID_CREDENTIALS: 'Wrong username or password',
  FORBIDDEN: 'Your role may not do this',
  NOT_FOUND: 'Station 3b0e8c2a-5d1f-4e6a-9b7c-8d9e0f1a2b3c not found',
  CONFLICT: 'The resource changed meanwhile',
  STATION_OFFLINE: 'Station CP001 is not connected',
  CHARGER_REJECTED: 'The charger answered Rejected',
  CHARGER_TIMEOUT: 'The charger did not answer within 30 s',
  CHARGER_ERROR: 'The charger answered with a CALLERROR: InternalError',
  CONNECTOR_BUSY: 'Connector 1 is charging another session',
  CONNECTOR_RESERVED: 'Connector 1 is reserved for another idTag',
  NO_TARIFF: 'No tariff applies to this station',
  RATE_LIMITED: 'Too many attempts; retry later',
};

const humanize = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');

/**
 * Every error answer gets an example per code it can carry: the codes its description names (`@ApiErrors`
 * writes them there), else the status's generic code (400: VALIDATION_FAILED).
 */
export function exampleErrorCodes(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths))
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const responses = item[method]?.responses as Record<string, ResponseObject> | undefined;
      if (!responses) continue;
      for (const [status, response] of Object.entries(responses)) {
        const json = response.content?.['application/json'];
        if (Number(status) < 400 || !json || !('$ref' in json.schema!) || json.schema.$ref !== ERROR_REF)
          continue;
        const named = ERROR_CODES.filter(
          (code) =>
            httpStatusOf(code) === Number(status) &&
            new RegExp(`\\b${code}\\b`).test(response.description ?? ''),
        );
        const generic: ErrorCode = status === '400' ? 'VALIDATION_FAILED' : codeOfHttpStatus(Number(status));
        const codes = named.length ? named : [generic];
        json.examples = Object.fromEntries(
          codes.map((code) => [
            code,
            {
              summary: code,
              value: {
                statusCode: Number(status),
                error: STATUS_CODES[Number(status)],
                message: MESSAGES[code] ?? humanize(code),
                code,
              },
            },
          ]),
        );
      }
    }
  return document;
}
