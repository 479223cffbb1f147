import { Injectable, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';

const badParam = (name: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, { fields: [{ field: name, errors: [message] }] });

/** `@Param('id', uuidParam('id'))`: a malformed id is a 400 naming the parameter. */
export const uuidParam = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => badParam(name, `${name} must be a UUID`) });

/** An OCPP connectorId in a path: a positive integer. */
@Injectable()
export class ConnectorIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,8}$/.test(value)) {
      throw badParam('connectorId', 'connectorId must be a positive integer');
    }
    return Number(value);
  }
}
