import type { ReportedMonitor } from '../../commands/monitoring';
import type { MonitoringRecordsService } from '../../commands/monitoring-records.service';
import { DomainError } from '../../common/domain-error';
import type { ChargerContext } from '../gateway/handler';
import { requireInt32 } from './display-monitoring';
import { requireStorableIds } from './ids';

interface VariableMonitoring {
  id: number;
  transaction: boolean;
  value: number;
  type: string;
  severity: number;
}

interface MonitoringData {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  variableMonitoring: VariableMonitoring[];
}

export interface NotifyMonitoringReportRequest {
  requestId: number;
  tbc?: boolean;
  seqNo: number;
  generatedAt: string;
  monitor?: MonitoringData[];
}

/**
 * The monitors of a NotifyMonitoringReport part, one per variableMonitoring item. The schema bounds
 * no number: ids past 32 bits and a severity outside 0–9 (VariableMonitoringType: "The severity
 * range is 0-9") are PropertyConstraintViolation naming the field.
 */
export function reportedMonitors(data: readonly MonitoringData[]): ReportedMonitor[] {
  data.forEach((d, i) => {
    requireStorableIds({
      [`monitor.${i}.component.evse.id`]: d.component.evse?.id,
      [`monitor.${i}.component.evse.connectorId`]: d.component.evse?.connectorId,
    });
    d.variableMonitoring.forEach((v, j) => {
      const at = `monitor.${i}.variableMonitoring.${j}`;
      requireInt32({ [`${at}.id`]: v.id });
      if (v.severity < 0 || v.severity > 9) {
        const message = `${at}.severity ${v.severity} is not a severity (0 to 9)`;
        throw new DomainError('VALIDATION_FAILED', message, {
          fields: [{ field: `${at}.severity`, errors: [message] }],
        });
      }
    });
  });
  return data.flatMap((d) =>
    d.variableMonitoring.map((v) => ({
      monitorId: v.id,
      componentName: d.component.name,
      componentInstance: d.component.instance ?? null,
      evseId: d.component.evse?.id ?? null,
      connectorId: d.component.evse?.connectorId ?? null,
      variableName: d.variable.name,
      variableInstance: d.variable.instance ?? null,
      type: v.type,
      value: v.value,
      severity: v.severity,
      transaction: v.transaction,
    })),
  );
}

/**
 * A NotifyMonitoringReport part updates the station's stored monitors (the station's truth), after
 * the part itself is stored with the notifications and before the station is answered.
 */
export const onMonitorsReported =
  (monitoring: MonitoringRecordsService) =>
  async ({ tenantId, stationId }: ChargerContext, params: NotifyMonitoringReportRequest): Promise<void> => {
    requireInt32({ requestId: params.requestId });
    await monitoring.onReported(
      tenantId,
      stationId,
      params.requestId,
      reportedMonitors(params.monitor ?? []),
      params.tbc !== true,
    );
  };
