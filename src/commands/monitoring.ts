/** The OCPP 2.0.1 MonitorEnumType. */
export const MONITOR_TYPES = [
  'UpperThreshold',
  'LowerThreshold',
  'Delta',
  'Periodic',
  'PeriodicClockAligned',
] as const;

/** What a station answers for each monitor of SetVariableMonitoring (SetMonitoringStatusEnumType). */
export const SET_MONITORING_STATUSES = [
  'Accepted',
  'UnknownComponent',
  'UnknownVariable',
  'UnsupportedMonitorType',
  'Rejected',
  'Duplicate',
] as const;

/** What GetMonitoringReport may ask for (MonitoringCriterionEnumType). */
export const MONITORING_CRITERIA = ['ThresholdMonitoring', 'DeltaMonitoring', 'PeriodicMonitoring'] as const;

/** The station's answer to GetMonitoringReport (GenericDeviceModelStatusEnumType). */
export const MONITORING_REPORT_STATUSES = ['Accepted', 'Rejected', 'NotSupported', 'EmptyResultSet'] as const;

/** The origin of a monitor the station listed in a NotifyMonitoringReport, stored as its status. */
export const REPORTED = 'Reported';

export const EVENT_TRIGGERS = ['Alerting', 'Delta', 'Periodic'] as const;

/** Where a monitor or an event sits: a variable of a component, as OCPP 2.0.1 names them. */
export interface MonitoredVariable {
  componentName: string;
  componentInstance: string | null;
  evseId: number | null;
  connectorId: number | null;
  variableName: string;
  variableInstance: string | null;
}

/** A monitor the station was asked to set, with its answer. */
export interface MonitorSetResult extends MonitoredVariable {
  /** The station's id for it; absent unless Accepted. */
  monitorId: number | null;
  type: string;
  value: number;
  severity: number;
  transaction: boolean;
  status: string;
  statusInfo: Record<string, unknown> | null;
}

/** A monitor a station listed in NotifyMonitoringReport: set by anyone, preconfigured or hard-wired. */
export interface ReportedMonitor extends MonitoredVariable {
  monitorId: number;
  type: string;
  value: number;
  severity: number;
  transaction: boolean;
}

/** One eventData item of a NotifyEvent. */
export interface MonitoringEvent extends MonitoredVariable {
  eventId: number;
  timestamp: string;
  trigger: string;
  actualValue: string;
  cause: number | null;
  techCode: string | null;
  techInfo: string | null;
  cleared: boolean | null;
  transactionId: string | null;
  variableMonitoringId: number | null;
  eventNotificationType: string;
}
