import type { DeviceModelService } from '../../commands/device-model.service';
import type { DisplayMessageRecordsService } from '../../commands/display-message-records.service';
import type { MonitoringRecordsService } from '../../commands/monitoring-records.service';
import type { ReservationStatusService } from '../../commands/reservation-status.service';
import type { EventBus } from '../../events/event-bus';
import type { ChargerNotificationsRepository } from '../charger-notifications.repository';
import type { AnyHandler, ChargerContext, Handler } from '../gateway/handler';
import { type NotifyReportRequest, reportedVariables } from './device-model';
import { notifyEvent, onDisplayMessagesReported } from './display-monitoring';
import { onMonitorsReported } from './monitoring-report';
import type { ReservationStatusUpdateRequest, SecurityEventNotificationRequest } from './messages';

/**
 * The answer to each OCPP 2.0.1 report a station sends besides charging, after it is stored
 * (committed) in the station's notifications. What Kilowatt cannot do yet it says plainly: it
 * runs no ISO 15118 PKI (its certificate requests Failed; SignCertificate is sign-certificate.handler.ts) and
 * computes no charging schedules for an EV's needs (NotifyEVChargingNeeds Rejected), so the
 * station goes on with what it has.
 */
const ANSWERS = {
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
  Get15118EVCertificate: {
    status: 'Failed',
    exiResponse: '',
    statusInfo: { reasonCode: 'NotSupported' },
  },
  GetCertificateStatus: { status: 'Failed', statusInfo: { reasonCode: 'NotSupported' } },
} satisfies Record<string, object>;

/** What a stored report also sets off, once committed. */
export type AfterCommit = (charger: ChargerContext, params: never) => Promise<void> | void;

/**
 * The operator hears of a station's security event (`station.security_event`); the commands module
 * of a reservation the station ended (Expired → expired, Removed → cancelled), and of the display
 * messages and variable monitors a station reports.
 */
export const afterCommit = (
  events: EventBus,
  reservations: ReservationStatusService,
  displayMessages: DisplayMessageRecordsService,
  monitoring: MonitoringRecordsService,
): Partial<Record<keyof typeof ANSWERS, AfterCommit>> => ({
  NotifyDisplayMessages: onDisplayMessagesReported(displayMessages),
  NotifyMonitoringReport: onMonitorsReported(monitoring),
  SecurityEventNotification: (
    { tenantId, stationId, chargePointId }: ChargerContext,
    params: SecurityEventNotificationRequest,
  ) =>
    void events.publish({
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
    }),
  ReservationStatusUpdate: (
    { tenantId, stationId }: ChargerContext,
    params: ReservationStatusUpdateRequest,
  ) =>
    reservations.onReservationEnded(
      tenantId,
      stationId,
      params.reservationId,
      params.reservationUpdateStatus === 'Expired' ? 'expired' : 'removed',
    ),
});

export function notificationHandlers(
  store: ChargerNotificationsRepository,
  after: Partial<Record<string, AfterCommit>>,
  deviceModel: DeviceModelService,
  monitoring: { records: MonitoringRecordsService; events: EventBus },
): Record<string, AnyHandler> {
  const handlers: Record<string, AnyHandler> = Object.fromEntries(
    Object.entries(ANSWERS).map(([action, answer]) => [
      action,
      (async ({ params, ...charger }) => {
        await store.record(charger.tenantId, { stationId: charger.stationId, action, payload: params });
        await after[action]?.(charger, params as never);
        return answer;
      }) satisfies AnyHandler,
    ]),
  );
  // A report part also updates the station's device model, committed before the answer like the
  // notification itself; the parts of a report may come in any order, and again.
  const notifyReport: Handler<NotifyReportRequest, object> = async ({ tenantId, stationId, params }) => {
    const reported = reportedVariables(params.reportData);
    await Promise.all([
      store.record(tenantId, { stationId, action: 'NotifyReport', payload: params }),
      deviceModel.onReported(tenantId, stationId, reported),
    ]);
    return ANSWERS.NotifyReport;
  };
  return {
    ...handlers,
    NotifyReport: notifyReport,
    NotifyEvent: notifyEvent(store, monitoring.records, monitoring.events),
  };
}
