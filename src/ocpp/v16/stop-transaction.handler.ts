import type { SessionsService } from '../../sessions/sessions.service';
import { chargerTimeOr } from '../charger-time';
import type { Handler } from '../gateway/handler';
import type { StopTransactionConf, StopTransactionReq } from '../../ocpp-types/ocpp16';
import { toIdTagInfo } from './start-transaction.handler';

/**
 * Closes and settles the session; the .conf goes out only after that commit. A stop time that
 * cannot be read or stored (year 0000) is taken as the moment the stop arrived: a refused
 * StopTransaction would be retried by the charger forever. The frame stays in the message log.
 */
export const stopTransaction =
  (sessions: SessionsService): Handler<StopTransactionReq, StopTransactionConf> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
    const r = await sessions.onTransactionStopped(
      { chargePointId, stationId, tenantId },
      {
        transactionId: params.transactionId,
        meterStopWh: params.meterStop,
        stoppedAt: chargerTimeOr(params.timestamp, new Date()),
        reason: params.reason,
        idTag: params.idTag,
        transactionData: params.transactionData,
      },
    );
    return r.idTagInfo ? { idTagInfo: toIdTagInfo(r.idTagInfo) } : {};
  };
