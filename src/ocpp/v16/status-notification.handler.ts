import type { ChargerStateService } from '../../stations/charger-state.service';
import { chargerTimeOr } from '../charger-time';
import type { Handler } from '../gateway/handler';
import type { StatusNotificationConf, StatusNotificationReq } from '../../ocpp-types/ocpp16';

/** Connector 0 is the charge point as a whole (OCPP 1.6 §4.9). */
export const statusNotification =
  (chargerState: ChargerStateService): Handler<StatusNotificationReq, StatusNotificationConf> =>
  async ({ tenantId, stationId, params }) => {
    await chargerState.recordStatus(tenantId, stationId, {
      connectorId: params.connectorId,
      status: params.status,
      errorCode: params.errorCode,
      info: params.info,
      vendorErrorCode: params.vendorErrorCode,
      statusAt: chargerTimeOr(params.timestamp, new Date()),
    });
    return {};
  };
