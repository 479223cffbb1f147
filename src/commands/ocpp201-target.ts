import { DomainError } from '../common/domain-error';
import { type CommandTarget, protocolOf } from './command-runner.service';

/**
 * A station for a command that only OCPP 2.0.1 has (display messages, variable monitoring): a 1.6
 * station answers 409 UNSUPPORTED_BY_PROTOCOL before anything is looked up or sent.
 */
export function require201(target: CommandTarget, action: string): CommandTarget {
  if (protocolOf(target) !== 'ocpp2.0.1')
    throw new DomainError(
      'UNSUPPORTED_BY_PROTOCOL',
      `${target.chargePointId} speaks ${protocolOf(target)}, which has no ${action}`,
    );
  return target;
}
