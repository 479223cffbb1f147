import type { EventBus } from '../../events/event-bus';
import type { ChargerNotificationsRepository } from '../charger-notifications.repository';
import type { AnyHandler, ChargerContext } from '../gateway/handler';
import type { SecurityEventNotificationRequest } from './messages';

/**
 * The answer to each OCPP 2.0.1 report a station sends besides charging, after it is stored
 * (committed) in the station's notifications. What Kilowatt cannot do yet it says plainly: it
 * signs no certificates (SignCertificate Rejected; ISO 15118 certificate requests Failed) and
 * computes no charging schedules for an EV's needs (NotifyEVChargingNeeds Rejected), so the
 * station goes on with what it has.
 */
const ANSWERS: Record<string, object> = {
  NotifyReport: {},
  NotifyEvent: {},
  SecurityEventNotification: {},
  NotifyChargingLimit: {},
  ClearedChargingLimit: {},
  ReportChargingProfiles: {},
  NotifyCustomerInformation: {},
  NotifyMonitoringReport: {},
  NotifyDisplayMessages: {},
  PublishFirmwareStatusNotification: {},
  ReservationStatusUpdate: {},
  NotifyEVChargingSchedule: { status: 'Accepted' },
  NotifyEVChargingNeeds: {
    status: 'Rejected',
    statusInfo: {
      reasonCode: 'NotSupported',
      additionalInfo: 'No charging schedules are computed for EV needs',
    },
  },
  SignCertificate: {
    status: 'Rejected',
    statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'This CSMS signs no certificates yet' },
  },
  Get15118EVCertificate: {
    status: 'Failed',
    exiResponse: '',
    statusInfo: { reasonCode: 'NotSupported' },
  },
  GetCertificateStatus: { status: 'Failed', statusInfo: { reasonCode: 'NotSupported' } },
};

/** What the operator hears of a station's security event, once it is committed (`station.security_event`). */
function publishSecurityEvent(
  events: EventBus,
  { tenantId, stationId, chargePointId }: ChargerContext,
  params: SecurityEventNotificationRequest,
): void {
  events.publish({
    type: 'station.security_event',
    tenantId,
    stationId,
    data: {
      stationId,
      chargePointId,
      type: params.type,
      // The station's clock, as reported: it may read 1970 until the station has set its time.
      timestamp: params.timestamp,
      techInfo: params.techInfo ?? null,
    },
  });
}

export function notificationHandlers(
  store: ChargerNotificationsRepository,
  events: EventBus,
): Record<string, AnyHandler> {
  return Object.fromEntries(
    Object.entries(ANSWERS).map(([action, answer]) => [
      action,
      (async ({ params, ...charger }) => {
        await store.record(charger.tenantId, { stationId: charger.stationId, action, payload: params });
        if (action === 'SecurityEventNotification') publishSecurityEvent(events, charger, params);
        return answer;
      }) satisfies AnyHandler,
    ]),
  );
}
