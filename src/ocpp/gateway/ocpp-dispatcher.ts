import { Injectable, Logger } from '@nestjs/common';
import { createRPCError } from 'ocpp-rpc';
import { DomainError } from '../../common/domain-error';
import { storableValue } from '../../common/validation';
import { OCPP16, type ChargerSession, type Subprotocol } from './charger-admission';
import { idOutOfRange } from './charger-values';
import type { AnyHandler } from './handler';
import { errorCodeIn, ocppErrorCodeOf } from './ocpp-error-codes';

/** OCPP-J 1.6 §4.1.3 and 2.0.1 §4.1.3: a message id is a string of at most 36 characters, to allow for GUIDs. */
const MAX_MESSAGE_ID_LENGTH = 36;

/**
 * Hands each CALL from a charger (already checked against its protocol's schema) to that
 * protocol's handler, and turns what goes wrong into the CALLERROR of the protocol: a domain
 * error into its code, anything else into InternalError.
 */
@Injectable()
export class OcppDispatcher {
  private readonly logger = new Logger(OcppDispatcher.name);
  private readonly handlers: Record<Subprotocol, Map<string, AnyHandler>> = {
    'ocpp1.6': new Map(),
    'ocpp2.0.1': new Map(),
  };

  /** The actions of one protocol this central system answers; any other gets NotImplemented. */
  useHandlers(protocol: Subprotocol, handlers: Record<string, AnyHandler>): void {
    this.handlers[protocol] = new Map(Object.entries(handlers));
  }

  async dispatch(
    session: ChargerSession,
    action: string,
    params: unknown,
    messageId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const { protocol } = session;
    // An id outside §4.1.3 does not conform to the message structure (1.6 FormationViolation,
    // 2.0.1 FormatViolation); the CALL is not dispatched.
    if (!messageId || messageId.length > MAX_MESSAGE_ID_LENGTH)
      throw createRPCError(
        errorCodeIn(protocol, 'FormatViolation'),
        `A message id must be 1 to ${MAX_MESSAGE_ID_LENGTH} characters long (OCPP-J §4.1.3)`,
      );
    const handler = this.handlers[protocol].get(action);
    if (!handler) throw createRPCError('NotImplemented', `${action} is not handled by this central system`);
    // OCPP 1.6 §4.2, 2.0.1 B02/B03: until accepted, a charger sends nothing but BootNotification.
    if (!session.accepted && action !== 'BootNotification')
      throw createRPCError('SecurityError', `${session.chargePointId} is not accepted by the central system`);
    const badId = idOutOfRange(params);
    if (badId) {
      // A charger retries a refused StopTransaction, maybe forever: it is acknowledged instead
      // (no idTagInfo), and the frame stays in the message log. Anything else is refused.
      if (protocol === OCPP16 && action === 'StopTransaction') {
        this.logger.warn(
          { chargePointId: session.chargePointId, ...badId },
          'StopTransaction for an impossible id',
        );
        return {};
      }
      throw createRPCError(
        'PropertyConstraintViolation',
        `${badId.field} ${badId.value} is not a 32-bit integer`,
      );
    }
    try {
      const { chargePointId, stationId, tenantId, securityProfile } = session;
      const conf = (await handler({
        chargePointId,
        stationId,
        tenantId,
        securityProfile,
        params: storableValue(params),
      })) as Record<string, unknown>;
      if (action === 'BootNotification') {
        session.accepted = conf.status === 'Accepted';
        this.logger.log({ chargePointId, protocol, status: conf.status }, 'Charger booted');
      }
      return conf;
    } catch (err) {
      if (err instanceof DomainError) throw createRPCError(ocppErrorCodeOf(err.code, protocol), err.message);
      this.logger.error({ err, action, chargePointId: session.chargePointId }, 'OCPP handler failed');
      throw createRPCError('InternalError', `The central system could not process ${action}`);
    }
  }
}
