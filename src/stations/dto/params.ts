import { Injectable, PipeTransform } from '@nestjs/common';
import { badParam } from '../../common/uuid-param';

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
