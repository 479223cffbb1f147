import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import { catchError, Observable, throwError } from 'rxjs';
import { DomainError, ErrorCode } from './domain-error';
import { ErrorResponse } from './error.response';
import { codeOfHttpStatus, httpStatusOf } from './http-exception.filter';

export const API_ERRORS_KEY = 'kilowatt:api-errors';

/** What a code means wherever it is answered; a route may say more for its own case. */
const MEANING: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'the input is invalid; `details.fields` names each field',
  BAD_REQUEST: 'the request is malformed',
  UNAUTHENTICATED: 'missing, invalid or expired credentials',
  INVALID_CREDENTIALS: 'wrong username, password or secret',
  SIGNATURE_MISSING: 'the API key requires a signature',
  SIGNATURE_INVALID: 'the signature does not match',
  TIMESTAMP_OUT_OF_WINDOW: 'the signed timestamp is too old or in the future',
  NONCE_REUSED: 'the nonce was used before',
  ENVELOPE_INVALID: 'the encrypted envelope cannot be opened',
  FORBIDDEN: 'the caller may not do this',
  NOT_FOUND: 'not found, or owned by another tenant',
  CONFLICT: 'the request conflicts with the current state',
  USERNAME_TAKEN: 'the username or email is in use',
  CHARGE_POINT_ID_TAKEN: 'the chargePointId is in use',
  ID_TAG_TAKEN: 'the idTag is in use',
  SLUG_TAKEN: 'the slug is in use',
  PAYLOAD_TOO_LARGE: 'the body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'the body has an unsupported content type',
  RATE_LIMITED: 'too many requests; `Retry-After` says when to retry',
  STATION_OFFLINE: 'the charger is not connected',
  CHARGER_REJECTED: 'the charger answered Rejected',
  CHARGER_TIMEOUT: 'the charger did not answer in time',
  CHARGER_ERROR: 'the charger answered with a CALLERROR (`details.ocppErrorCode`)',
  CONNECTOR_BUSY: 'the connector is in use',
  CONNECTOR_UNAVAILABLE: 'the connector is unavailable or faulted',
  ALREADY_CHARGING: 'the idTag already has an active session',
  ID_TAG_REJECTED: 'the idTag is blocked, expired or unknown',
  NO_TARIFF: 'no tariff applies',
  SESSION_NOT_ACTIVE: 'the session has ended',
  IDEMPOTENCY_KEY_REUSED: 'the Idempotency-Key was used for a different request',
  CONNECTOR_RESERVED: 'the connector is reserved for another idTag',
  UNSUPPORTED_BY_PROTOCOL: "the station's OCPP version has no such operation",
  SERVICE_UNAVAILABLE: 'a dependency is unavailable',
  WEBHOOK_TARGET_NOT_ALLOWED: 'the webhook URL points at a forbidden address',
  INTERNAL_ERROR: 'an unexpected error',
};

type Notes = Partial<Record<ErrorCode, string>>;

/** Adds to the codes a handler or controller declares: a route may carry several `@ApiErrors`. */
const declare =
  (codes: ErrorCode[]) =>
  (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const on = (descriptor?.value as object | undefined) ?? target;
    const known = (Reflect.getMetadata(API_ERRORS_KEY, on) as ErrorCode[] | undefined) ?? [];
    Reflect.defineMetadata(API_ERRORS_KEY, [...new Set([...known, ...codes])], on);
  };

/**
 * The DomainError codes a route answers with, declared once. Swagger's error answers are generated
 * from them (one answer per status, one example per code, see swagger-errors.ts), and the app
 * records any code a route answers without declaring it (`UndeclaredErrors`); the tests fail on it.
 * A code is named alone for its general meaning, or in an object with the route's own meaning:
 * `@ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'Unknown station or connector' })`. Several on one route
 * add up (`@Roles` declares the credential codes and FORBIDDEN this way).
 */
export function ApiErrors(...declared: (ErrorCode | Notes)[]) {
  const notes: Notes = {};
  for (const item of declared)
    if (typeof item === 'string') notes[item] ??= MEANING[item];
    else Object.assign(notes, item);
  const codes = Object.keys(notes) as ErrorCode[];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  return applyDecorators(
    declare(codes),
    ...[...byStatus.entries()].map(([status, group]) =>
      ApiResponse({
        status,
        type: ErrorResponse,
        description: group.map((code) => `\`${code}\`: ${notes[code]}`).join('; '),
      }),
    ),
  );
}

/** Route/code pairs answered but not declared with `@ApiErrors`. */
@Injectable()
export class UndeclaredErrors {
  private readonly log = new Logger('ApiErrors');
  private readonly seen = new Set<string>();

  record(route: string, code: ErrorCode): void {
    const key = `${route} ${code}`;
    if (this.seen.has(key) || this.seen.size >= 1000) return;
    this.seen.add(key);
    this.log.warn(`${route} answered ${code}, which it does not declare with @ApiErrors`);
  }

  list(): string[] {
    return [...this.seen].sort();
  }
}

/** Checks each error a route answers against the codes it declares. */
@Injectable()
export class DeclaredErrorsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly undeclared: UndeclaredErrors,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const code =
          error instanceof DomainError
            ? error.code
            : error instanceof HttpException
              ? codeOfHttpStatus(error.getStatus())
              : undefined;
        if (code && code !== 'INTERNAL_ERROR' && !this.declares(context, code)) {
          const request = context.switchToHttp().getRequest<{ method: string; route?: { path: string } }>();
          this.undeclared.record(`${request.method} ${request.route?.path ?? '?'}`, code);
        }
        return throwError(() => error);
      }),
    );
  }

  private declares(context: ExecutionContext, code: ErrorCode): boolean {
    const targets = [context.getHandler(), context.getClass()];
    return (this.reflector.getAllAndMerge<ErrorCode[]>(API_ERRORS_KEY, targets) ?? []).includes(code);
  }
}
