import type { SessionsService } from '../../sessions/sessions.service';
import type { ChargerStateService, RegistrationStatus } from '../../stations/charger-state.service';
import type { RequestedBoots } from '../gateway/requested-boots';
import type { Handler } from '../gateway/handler';
import type { BootNotificationConf, BootNotificationReq } from '../../ocpp-types/ocpp16';

const BOOT_STATUS: Record<RegistrationStatus, BootNotificationConf['status']> = {
  accepted: 'Accepted',
  pending: 'Pending',
  rejected: 'Rejected',
};

/** Stores what the charger says it is; answers with its registration and the heartbeat interval. */
export const bootNotification =
  (
    chargerState: ChargerStateService,
    heartbeatIntervalSeconds: number,
    sessions: SessionsService,
    requestedBoots: RequestedBoots,
  ): Handler<BootNotificationReq, BootNotificationConf> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
    const asked = requestedBoots.take(chargePointId);
    const registration = await chargerState.recordBoot(stationId, {
      vendor: params.chargePointVendor,
      model: params.chargePointModel,
      // chargeBoxSerialNumber is deprecated in 1.6 but still sent by older chargers.
      serialNumber: params.chargePointSerialNumber ?? params.chargeBoxSerialNumber,
      firmwareVersion: params.firmwareVersion,
      iccid: params.iccid,
      imsi: params.imsi,
      meterType: params.meterType,
      meterSerialNumber: params.meterSerialNumber,
      bootedAt: new Date(),
    });
    // A reboot ends whatever the charger had running: closed by inference, until the charger's own
    // StopTransaction corrects them. A boot the central system asked for (TriggerMessage) is no reboot.
    if (!asked) await sessions.onStationRebooted({ chargePointId, stationId, tenantId });
    return {
      status: BOOT_STATUS[registration],
      currentTime: new Date().toISOString(),
      // While Pending or Rejected, the interval is how long the charger waits before booting again.
      interval: heartbeatIntervalSeconds,
    };
  };
