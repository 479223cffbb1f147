import type { Logger } from '@nestjs/common';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import type { Counter } from 'prom-client';
import type { ChargerSession } from './charger-admission';
import type { ConnectionPresence } from './connection-presence';
import { redactSecrets } from './frame-redaction';
import type { MessageLogService } from './message-log.service';
import { rewriteCallError } from './ocpp-error-codes';
import { isActionOf } from './outbound-call';

const sessionOf = (client: RpcServerClient) => client.session as ChargerSession;

/**
 * The frame listeners every socket shares: each frame in the message log (secrets redacted), the
 * last-seen time of each inbound one, and the CALLERROR codes we send spelled in the socket's
 * protocol. An EventEmitter calls a listener with the socket as `this`, so a connection costs no
 * closures for them (10 000 chargers are held per node).
 */
export function frameListeners(
  messageLog: MessageLogService,
  presence: ConnectionPresence,
  logger: Logger,
  /** CALLs by protocol, direction and action (`unknown` for an action the protocol lacks). */
  calls: Counter<string>,
) {
  const log = (client: RpcServerClient, direction: 'in' | 'out', frame: unknown) => {
    const { tenantId, stationId } = sessionOf(client);
    messageLog.record({ tenantId, stationId, direction, frame: redactSecrets(frame) });
  };
  return {
    message(this: RpcServerClient, { outbound }: { outbound: boolean }) {
      if (!outbound) presence.seen(sessionOf(this).stationId);
    },
    call(this: RpcServerClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }) {
      const direction = outbound ? 'out' : 'in';
      const { protocol } = sessionOf(this);
      const action = String(payload[2]);
      calls.inc({ protocol, direction, action: isActionOf(protocol, action) ? action : 'unknown' });
      log(this, direction, payload);
    },
    response(this: RpcServerClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }) {
      // The payload is sent after this event: its error code is rewritten in place.
      if (outbound && payload[0] === 4) rewriteCallError(payload, sessionOf(this).protocol);
      log(this, outbound ? 'out' : 'in', payload);
    },
    badMessage(this: RpcServerClient, { buffer, response }: { buffer: Buffer; response: unknown[] | null }) {
      log(this, 'in', { raw: buffer.toString('utf8').slice(0, 4096) });
      if (response) {
        rewriteCallError(response, sessionOf(this).protocol);
        log(this, 'out', response);
      }
    },
    // ws has closed the socket itself: 1009 for a frame over the size cap, 1002/1007 for a malformed one.
    socketError(this: RpcServerClient, err: Error) {
      logger.warn(
        { chargePointId: sessionOf(this).chargePointId, err: err.message },
        'Charger socket closed on a protocol error',
      );
    },
  };
}
