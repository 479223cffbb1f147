import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './domain-error';

/** A path id that is not a UUID cannot exist: answer 404 like any unknown id (never a SQL error). */
export const UuidParam = (what: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new DomainError('NOT_FOUND', `${what} not found`) });
