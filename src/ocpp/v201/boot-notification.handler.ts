import type { DeviceModelService } from '../../commands/device-model.service';
import type { SessionsService } from '../../sessions/sessions.service';
import type { ChargerStateService, RegistrationStatus } from '../../stations/charger-state.service';
import type { Handler } from '../gateway/handler';
import type { RequestedBoots } from '../gateway/requested-boots';
import type { BootNotificationRequest, BootNotificationResponse } from './messages';

const BOOT_STATUS: Record<RegistrationStatus, BootNotificationResponse['status']> = {
  accepted: 'Accepted',
  pending: 'Pending',
  rejected: 'Rejected',
};

/**
 * Stores what the station says it is and answers its registration (B01–B03), as for 1.6. Every
 * boot ends what the station had running (closed by inference until its own Ended arrives),
 * except one the CSMS asked for with TriggerMessage (reason `Triggered`, or noted as requested).
 * Once accepted, a station whose device model Kilowatt has not stored yet is asked for its full
 * inventory (GetBaseReport), after the answer went out.
 */
export const bootNotification =
  (
    chargerState: ChargerStateService,
    heartbeatIntervalSeconds: number,
    sessions: SessionsService,
    requestedBoots: RequestedBoots,
    deviceModel: DeviceModelService,
  ): Handler<BootNotificationRequest, BootNotificationResponse> =>
  async ({ chargePointId, stationId, tenantId, params }) => {
    const asked = requestedBoots.take(chargePointId) || params.reason === 'Triggered';
    const station = params.chargingStation;
    const registration = await chargerState.recordBoot(stationId, {
      vendor: station.vendorName,
      model: station.model,
      serialNumber: station.serialNumber,
      firmwareVersion: station.firmwareVersion,
      iccid: station.modem?.iccid,
      imsi: station.modem?.imsi,
      bootedAt: new Date(),
    });
    if (!asked) await sessions.onStationRebooted({ chargePointId, stationId, tenantId });
    // B01: nothing is sent to a station before its boot is answered.
    if (registration === 'accepted')
      setImmediate(() => void deviceModel.requestInventoryIfUnknown({ tenantId, stationId, chargePointId }));
    return {
      status: BOOT_STATUS[registration],
      currentTime: new Date().toISOString(),
      // While Pending or Rejected, the interval is how long the station waits before booting again.
      interval: heartbeatIntervalSeconds,
    };
  };
