import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, ErrorCode } from './domain-error';

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
    case 'WEBHOOK_TARGET_NOT_ALLOWED':
    case 'ENVELOPE_INVALID':
      return 400;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'SIGNATURE_MISSING':
    case 'SIGNATURE_INVALID':
    case 'TIMESTAMP_OUT_OF_WINDOW':
    case 'NONCE_REUSED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'USERNAME_TAKEN':
    case 'CHARGE_POINT_ID_TAKEN':
    case 'ID_TAG_TAKEN':
    case 'SLUG_TAKEN':
    case 'STATION_OFFLINE':
    case 'CHARGER_REJECTED':
    case 'CONNECTOR_BUSY':
    case 'CONNECTOR_UNAVAILABLE':
    case 'ALREADY_CHARGING':
    case 'ID_TAG_REJECTED':
    case 'NO_TARIFF':
    case 'SESSION_NOT_ACTIVE':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'CONNECTOR_RESERVED':
    case 'UNSUPPORTED_BY_PROTOCOL':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_ERROR':
      return 500;
    case 'CHARGER_ERROR':
      return 502;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    case 'CHARGER_TIMEOUT':
      return 504;
  }
}

/** Framework exceptions (unknown route, body parser, throttler) get a stable code too. */
export function codeOfHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: ErrorCode;
  details?: Record<string, unknown>;
  requestId?: string;
}

/** Writes every error as `{ statusCode, error, message, code }`; never a stack trace. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request & { id?: string }>();
    const body = this.toBody(exception, req);
    if (body.code === 'RATE_LIMITED') {
      const retry = exception instanceof DomainError ? exception.details?.retryAfterSeconds : undefined;
      if (!res.getHeader('Retry-After')) res.setHeader('Retry-After', String(retry ?? 60));
    }
    if (res.headersSent) return;
    // A route's own @Header('Content-Type', …) (an HTML sheet, a CSV export) is already set on
    // the response; the error is JSON whatever the route would have sent.
    res.status(body.statusCode).type('application/json').json(body);
  }

  private toBody(exception: unknown, req: Request & { id?: string }): ErrorBody {
    const requestId = req.id;
    if (exception instanceof DomainError) {
      const statusCode = httpStatusOf(exception.code);
      const { retryAfterSeconds: _retry, ...details } = exception.details ?? {};
      return {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: exception.message,
        code: exception.code,
        ...(Object.keys(details).length > 0 ? { details } : {}),
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message =
        exception instanceof ThrottlerException
          ? 'Too many requests; retry later'
          : Array.isArray(raw)
            ? raw.join('; ')
            : String(raw ?? exception.message);
      return {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message,
        code: codeOfHttpStatus(statusCode),
        requestId,
      };
    }
    // body-parser errors carry a status and a type, and are safe to describe.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message = type === 'entity.parse.failed' ? 'Malformed JSON body' : (exception as Error).message;
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message,
        code: codeOfHttpStatus(status),
        requestId,
      };
    }
    this.logger.error({ err: exception, requestId }, 'Unhandled error');
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      code: 'INTERNAL_ERROR',
      requestId,
    };
  }
}
