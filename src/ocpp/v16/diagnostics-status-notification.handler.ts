import type { ChargerStateService } from '../../stations/charger-state.service';
import type { Handler } from './handler';
import type { DiagnosticsStatusNotificationReq, EmptyConf } from './ocpp16-types';

export const diagnosticsStatusNotification =
  (chargerState: ChargerStateService): Handler<DiagnosticsStatusNotificationReq, EmptyConf> =>
  async ({ stationId, params }) => {
    await chargerState.recordDiagnosticsStatus(stationId, params.status);
    return {};
  };
