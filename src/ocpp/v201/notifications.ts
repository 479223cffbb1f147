import type { DeviceModelService } from '../../commands/device-model.service';
import type { ChargerNotificationsRepository } from '../charger-notifications.repository';
import type { AnyHandler, Handler } from '../gateway/handler';
import { type NotifyReportRequest, reportedVariables } from './device-model';

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

export function notificationHandlers(
  store: ChargerNotificationsRepository,
  deviceModel: DeviceModelService,
): Record<string, AnyHandler> {
  const handlers: Record<string, AnyHandler> = Object.fromEntries(
    Object.entries(ANSWERS).map(([action, answer]) => [
      action,
      (async ({ tenantId, stationId, params }) => {
        await store.record(tenantId, { stationId, action, payload: params });
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
  return { ...handlers, NotifyReport: notifyReport };
}
