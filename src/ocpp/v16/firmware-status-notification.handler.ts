import type { ChargerStateService } from '../../stations/charger-state.service';
import type { Handler } from './handler';
import type { EmptyConf, FirmwareStatusNotificationReq } from './ocpp16-types';

export const firmwareStatusNotification =
  (chargerState: ChargerStateService): Handler<FirmwareStatusNotificationReq, EmptyConf> =>
  async ({ stationId, params }) => {
    await chargerState.recordFirmwareStatus(stationId, params.status);
    return {};
  };
