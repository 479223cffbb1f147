import type { MaintenanceStatusService } from '../../commands/maintenance-status.service';
import type { ChargerStateService } from '../../stations/charger-state.service';
import type { Handler } from '../gateway/handler';
import type { EmptyConf, FirmwareStatusNotificationReq } from '../../ocpp-types/ocpp16';

export const firmwareStatusNotification =
  (
    chargerState: ChargerStateService,
    maintenance: MaintenanceStatusService,
  ): Handler<FirmwareStatusNotificationReq, EmptyConf> =>
  async ({ tenantId, stationId, params }) => {
    await chargerState.recordFirmwareStatus(stationId, params.status);
    await maintenance.onFirmwareStatus(tenantId, stationId, params.status);
    return {};
  };
