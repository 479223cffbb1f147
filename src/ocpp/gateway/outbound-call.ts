import { TimeoutError, createRPCError } from 'ocpp-rpc';
import schemas16 from 'ocpp-rpc/lib/schemas/ocpp1_6.json';
import schemas201 from 'ocpp-rpc/lib/schemas/ocpp2_0_1.json';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import standardValidators from 'ocpp-rpc/lib/standard-validators';
import { Validator } from 'ocpp-rpc/lib/validator';
import { DomainError } from '../../common/domain-error';
import { OCPP16, OCPP201, type Subprotocol } from './charger-admission';
import { errorCodeIn } from './ocpp-error-codes';

const VERSION: Record<Subprotocol, string> = { [OCPP16]: '1.6', [OCPP201]: '2.0.1' };
const libraryValidator = (protocol: Subprotocol) =>
  standardValidators.find((v) => v.subprotocol === protocol)!;
const schemaIds: Record<Subprotocol, ReadonlySet<string>> = {
  [OCPP16]: new Set((schemas16 as { $id: string }[]).map((s) => s.$id)),
  [OCPP201]: new Set((schemas201 as { $id: string }[]).map((s) => s.$id)),
};

/**
 * The strict-mode validator of the gateway for one protocol: the library's schemas, except that a
 * call of an action the protocol does not define is refused NotImplemented (OCPP-J 1.6 §4.2.3,
 * 2.0.1 §4.3), not with the library's ProtocolError for a missing schema. The library validates a
 * call before its handler runs, so with one handler per socket for every action this is where an
 * unknown one is caught.
 */
export class StrictValidator extends Validator {
  constructor(private readonly protocol: Subprotocol) {
    super(protocol, libraryValidator(protocol)._ajv);
  }

  override validate(schemaId: string, params: unknown): boolean | Promise<unknown> {
    if (!schemaIds[this.protocol].has(schemaId)) {
      const action = schemaId.replace(/^urn:|\.(req|conf)$/g, '');
      throw createRPCError('NotImplemented', `${action} is not an OCPP ${VERSION[this.protocol]} action`);
    }
    return super.validate(schemaId, params);
  }
}

interface Schema {
  $id: string;
  properties?: { status?: { enum?: string[]; $ref?: string } };
  definitions?: Record<string, { enum?: string[] }>;
}

/** Every `status` a reply of either protocol may carry: a bounded set, fit for a metric label. */
const REPLY_STATUSES: ReadonlySet<string> = new Set(
  ([...schemas16, ...schemas201] as Schema[])
    .filter((s) => s.$id.endsWith('.conf'))
    .flatMap((s) => {
      const status = s.properties?.status;
      const ref = status?.$ref?.split('/').pop();
      return (ref ? s.definitions?.[ref]?.enum : status?.enum) ?? [];
    }),
);

/** The reply's `status` when it is one the protocols define, else `answered`. */
export const replyOutcome = (reply: unknown): string => {
  const status = (reply as { status?: unknown } | null)?.status;
  return typeof status === 'string' && REPLY_STATUSES.has(status) ? status : 'answered';
};

/** Whether `action` is a request the protocol defines (in either direction). */
export const isActionOf = (protocol: Subprotocol, action: string): boolean =>
  schemaIds[protocol].has(`urn:${action}.req`);

/** Refuses a request the charger would reject as malformed, before it leaves this node. */
export function validateCall(protocol: Subprotocol, action: string, payload: object): void {
  try {
    libraryValidator(protocol).validate(`urn:${action}.req`, payload);
  } catch (err) {
    const { rpcErrorCode: code, details } = err as {
      rpcErrorCode?: string;
      details?: { errors?: { instancePath?: string; message?: string }[] };
    };
    const message = `Not a valid OCPP ${VERSION[protocol]} ${action} request: ${(err as Error).message}`;
    // The schema's complaints as the API's field errors: `/getVariableData/0/component` → getVariableData.0.component.
    const fields = (details?.errors ?? []).map((e) => ({
      field: (e.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || 'body',
      errors: [e.message ?? 'is not valid'],
    }));
    throw new DomainError('VALIDATION_FAILED', message, {
      ...(fields.length > 0 && { fields }),
      ocppErrorCode: code ? errorCodeIn(protocol, code) : undefined,
    });
  }
}

/**
 * Sends one call on a socket and awaits the charger's reply, turning failures into the
 * ChargerCommands errors: CHARGER_TIMEOUT, CHARGER_ERROR (with ocppErrorCode), STATION_OFFLINE.
 */
export async function sendCall(
  client: RpcServerClient,
  protocol: Subprotocol,
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
        ocppErrorCode: errorCodeIn(protocol, rpcCode),
        ocppErrorDescription: (err as Error).message,
      });
    // The socket closed while the call was pending.
    throw new DomainError('STATION_OFFLINE', `${chargePointId} disconnected during ${action}`);
  }
}
