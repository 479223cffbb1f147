import type { MeterValuesConf, MeterValuesReq } from '../../ocpp-types/ocpp16';
import type { SessionsService } from '../../sessions/sessions.service';
import type { Handler } from '../gateway/handler';

/** Acknowledged only once the readings are committed (one multi-row insert per message). */
export const meterValues =
  (sessions: SessionsService): Handler<MeterValuesReq, MeterValuesConf> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
    await sessions.onMeterValues(
      { chargePointId, stationId, tenantId },
      { connectorId: params.connectorId, transactionId: params.transactionId, meterValue: params.meterValue },
    );
    return {};
  };
