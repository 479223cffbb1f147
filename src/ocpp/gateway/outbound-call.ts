import { TimeoutError, createRPCError } from 'ocpp-rpc';
import schemas16 from 'ocpp-rpc/lib/schemas/ocpp1_6.json';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import standardValidators from 'ocpp-rpc/lib/standard-validators';
import { Validator } from 'ocpp-rpc/lib/validator';
import { DomainError } from '../../common/domain-error';
import { OCPP16 } from './charger-admission';
import { as16ErrorCode } from './ocpp-error-codes';

const validator16 = standardValidators.find((v) => v.subprotocol === OCPP16)!;
const schemaIds16 = new Set((schemas16 as { $id: string }[]).map((s) => s.$id));

/**
 * The strict-mode validator of the gateway: the library's OCPP 1.6 schemas, except that a call of
 * an action 1.6 does not define is refused NotImplemented (OCPP-J 1.6 §4.2.3), not with the
 * library's ProtocolError for a missing schema. The library validates a call before its handler
 * runs, so with one handler per socket for every action this is where an unknown one is caught.
 */
export class Strict16Validator extends Validator {
  constructor() {
    super(OCPP16, validator16._ajv);
  }

  override validate(schemaId: string, params: unknown): boolean | Promise<unknown> {
    if (!schemaIds16.has(schemaId)) {
      const action = schemaId.replace(/^urn:|\.(req|conf)$/g, '');
      throw createRPCError('NotImplemented', `${action} is not an OCPP 1.6 action`);
    }
    return super.validate(schemaId, params);
  }
}

/** Refuses a request the charger would reject as malformed, before it leaves this node. */
export function validateCall16(action: string, payload: object): void {
  try {
    validator16.validate(`urn:${action}.req`, payload);
  } catch (err) {
    const code = (err as { rpcErrorCode?: string }).rpcErrorCode;
    throw new DomainError(
      'VALIDATION_FAILED',
      `Not a valid OCPP 1.6 ${action}.req: ${(err as Error).message}`,
      {
        ocppErrorCode: code ? as16ErrorCode(code) : undefined,
      },
    );
  }
}

/**
 * Sends one call on a socket and awaits the charger's reply, turning failures into the
 * ChargerCommands errors: CHARGER_TIMEOUT, CHARGER_ERROR (with ocppErrorCode), STATION_OFFLINE.
 */
export async function sendCall(
  client: RpcServerClient,
  chargePointId: string,
  action: string,
  payload: object,
  timeoutMs: number,
): Promise<unknown> {
  try {
    return await client.call(action, payload, { callTimeoutMs: timeoutMs });
  } catch (err) {
    if (err instanceof TimeoutError)
      throw new DomainError('CHARGER_TIMEOUT', `${chargePointId} did not answer ${action} in time`);
    const rpcCode = (err as { rpcErrorCode?: string }).rpcErrorCode;
    if (rpcCode)
      throw new DomainError('CHARGER_ERROR', `${chargePointId} answered ${action} with ${rpcCode}`, {
        ocppErrorCode: as16ErrorCode(rpcCode),
        ocppErrorDescription: (err as Error).message,
      });
    // The socket closed while the call was pending.
    throw new DomainError('STATION_OFFLINE', `${chargePointId} disconnected during ${action}`);
  }
}
