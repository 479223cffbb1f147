import type { MaintenanceStatusService } from '../../commands/maintenance-status.service';
import type { ChargerStateService } from '../../stations/charger-state.service';
import type { Handler } from '../gateway/handler';
import type { DiagnosticsStatusNotificationReq, EmptyConf } from '../../ocpp-types/ocpp16';

export const diagnosticsStatusNotification =
  (
    chargerState: ChargerStateService,
    maintenance: MaintenanceStatusService,
  ): Handler<DiagnosticsStatusNotificationReq, EmptyConf> =>
  async ({ tenantId, stationId, params }) => {
    await chargerState.recordDiagnosticsStatus(stationId, params.status);
    await maintenance.onDiagnosticsStatus(tenantId, stationId, params.status);
    return {};
  };
