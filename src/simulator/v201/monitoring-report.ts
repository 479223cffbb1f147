import type { HandlerOutcome } from '../simulator-types';
import type { ComponentRef, VariableRef } from './device-model';
import type { SimMonitor } from './display-monitoring';

/** The monitor types each MonitoringCriterionEnumType of GetMonitoringReport selects. */
const TYPES_OF_CRITERION: Record<string, readonly string[]> = {
  ThresholdMonitoring: ['UpperThreshold', 'LowerThreshold'],
  DeltaMonitoring: ['Delta'],
  PeriodicMonitoring: ['Periodic', 'PeriodicClockAligned'],
};

export interface GetMonitoringReportRequest {
  requestId: number;
  monitoringCriteria?: string[];
  componentVariable?: { component: ComponentRef; variable?: VariableRef }[];
}

/** What the report needs of the station: its monitors and a way to send. */
export interface MonitoringReportPort {
  monitors(): Iterable<SimMonitor>;
  monitorsPerPart(): number;
  call(action: string, params: object): Promise<object>;
}

const sameComponent = (asked: ComponentRef, c: ComponentRef) =>
  asked.name === c.name &&
  (asked.instance === undefined || asked.instance === c.instance) &&
  (asked.evse === undefined ||
    (asked.evse.id === c.evse?.id &&
      (asked.evse.connectorId === undefined || asked.evse.connectorId === c.evse?.connectorId)));

const sameVariable = (asked: VariableRef | undefined, v: VariableRef) =>
  asked === undefined ||
  (asked.name === v.name && (asked.instance === undefined || asked.instance === v.instance));

/** The station's monitors that a GetMonitoringReport asks for, by id. */
export function selectMonitors(all: Iterable<SimMonitor>, p: GetMonitoringReportRequest): SimMonitor[] {
  const types = p.monitoringCriteria?.flatMap((c) => TYPES_OF_CRITERION[c] ?? []);
  return [...all]
    .filter(
      (m) =>
        (types === undefined || types.includes(m.type)) &&
        (p.componentVariable === undefined ||
          p.componentVariable.some(
            (cv) => sameComponent(cv.component, m.component) && sameVariable(cv.variable, m.variable),
          )),
    )
    .sort((a, b) => a.id - b.id);
}

/** One part's MonitoringDataType list: the monitors grouped by the variable they watch. */
function monitoringData(monitors: readonly SimMonitor[]): object[] {
  const byVariable = new Map<
    string,
    { component: ComponentRef; variable: VariableRef; variableMonitoring: object[] }
  >();
  for (const m of monitors) {
    const key = JSON.stringify([m.component, m.variable]);
    const entry = byVariable.get(key) ?? {
      component: m.component,
      variable: m.variable,
      variableMonitoring: [],
    };
    entry.variableMonitoring.push({
      id: m.id,
      transaction: m.transaction,
      value: m.value,
      type: m.type,
      severity: m.severity,
    });
    byVariable.set(key, entry);
  }
  return [...byVariable.values()];
}

/**
 * GetMonitoringReport (N02): Accepted, then the selected monitors in NotifyMonitoringReport parts
 * (`tbc` on all but the last); EmptyResultSet when none is selected.
 */
export function monitoringReportHandlers(
  port: MonitoringReportPort,
): Record<string, (params: never) => HandlerOutcome> {
  return {
    GetMonitoringReport: (p: GetMonitoringReportRequest) => {
      const found = selectMonitors(port.monitors(), p);
      if (found.length === 0) return { reply: { status: 'EmptyResultSet' } };
      const perPart = port.monitorsPerPart();
      return {
        reply: { status: 'Accepted' },
        followUp: async () => {
          for (let i = 0, seqNo = 0; i < found.length; i += perPart, seqNo++)
            await port.call('NotifyMonitoringReport', {
              requestId: p.requestId,
              seqNo,
              generatedAt: new Date().toISOString(),
              ...(i + perPart < found.length && { tbc: true }),
              monitor: monitoringData(found.slice(i, i + perPart)),
            });
        },
      };
    },
  };
}
