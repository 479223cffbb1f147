import type { IdTagVerdict, SessionsService } from '../../sessions/sessions.service';
import { chargerTime } from '../charger-time';
import type { Handler } from '../gateway/handler';
import type { IdTagInfo, StartTransactionConf, StartTransactionReq } from '../../ocpp-types/ocpp16';

export const toIdTagInfo = (v: IdTagVerdict): IdTagInfo => ({
  status: v.status,
  ...(v.expiryDate ? { expiryDate: v.expiryDate.toISOString() } : {}),
  ...(v.parentIdTag ? { parentIdTag: v.parentIdTag } : {}),
});

/**
 * Links the transaction to the pending remote start (or records a session started at the
 * charger), allocates the transactionId and answers after the commit. OCPP 1.6 §5.13: the
 * charger has started already, so the transaction is recorded whatever the idTag's status.
 */
export const startTransaction =
  (sessions: SessionsService): Handler<StartTransactionReq, StartTransactionConf> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
    const r = await sessions.onTransactionStarted(
      { chargePointId, stationId, tenantId },
      {
        connectorId: params.connectorId,
        idTag: params.idTag,
        meterStartWh: params.meterStart,
        startedAt: chargerTime(params.timestamp, 'timestamp'),
        reservationId: params.reservationId,
      },
    );
    return { transactionId: r.transactionId, idTagInfo: toIdTagInfo(r.idTagInfo) };
  };
