import type { SessionsService } from '../../sessions/sessions.service';
import type { ChargerStateService, RegistrationStatus } from '../../stations/charger-state.service';
import type { Handler } from './handler';
import type { BootNotificationConf, BootNotificationReq } from './ocpp16-types';

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
  ): Handler<BootNotificationReq, BootNotificationConf> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
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
    // A boot ends whatever the charger had running: those sessions are closed with the reason.
    await sessions.onStationRebooted({ chargePointId, stationId, tenantId });
    return {
      status: BOOT_STATUS[registration],
      currentTime: new Date().toISOString(),
      // While Pending or Rejected, the interval is how long the charger waits before booting again.
      interval: heartbeatIntervalSeconds,
    };
  };
