import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './domain-error';

/** A 400 VALIDATION_FAILED naming one path or query parameter. */
export const badParam = (name: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, { fields: [{ field: name, errors: [message] }] });

/** `@Param('id', uuidParam('id'))`: a malformed id is a 400 naming the parameter. */
export const uuidParam = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => badParam(name, `${name} must be a UUID`) });

/** A path id that is not a UUID cannot exist: answer 404 like any unknown id (never a SQL error). */
export const UuidParam = (what: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new DomainError('NOT_FOUND', `${what} not found`) });
