import type { DisplayMessageRecordsService } from '../../commands/display-message-records.service';
import type { DisplayMessage } from '../../commands/display-messages';
import type { MonitoringEvent } from '../../commands/monitoring';
import type { MonitoringRecordsService } from '../../commands/monitoring-records.service';
import type { EventBus } from '../../events/event-bus';
import type { ChargerNotificationsRepository } from '../charger-notifications.repository';
import type { ChargerContext, Handler } from '../gateway/handler';
import { DomainError } from '../../common/domain-error';
import { requireStorableIds } from './ids';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Numbers the station chose itself (event, message, monitor and request ids, causes): any the
 * integer columns hold, negatives included; beyond 32 bits, PropertyConstraintViolation naming the field.
 */
export function requireInt32(fields: Record<string, number | undefined>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || (value >= INT32_MIN && value <= INT32_MAX)) continue;
    const message = `${field} ${value} does not fit in 32 bits`;
    throw new DomainError('VALIDATION_FAILED', message, { fields: [{ field, errors: [message] }] });
  }
}

interface ComponentType {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

interface MessageInfo {
  id: number;
  priority: string;
  state?: string;
  startDateTime?: string;
  endDateTime?: string;
  transactionId?: string;
  message: { format: string; language?: string; content: string };
  display?: ComponentType;
}

export interface NotifyDisplayMessagesRequest {
  requestId: number;
  tbc?: boolean;
  messageInfo?: MessageInfo[];
}

interface EventData {
  eventId: number;
  timestamp: string;
  trigger: string;
  cause?: number;
  actualValue: string;
  techCode?: string;
  techInfo?: string;
  cleared?: boolean;
  transactionId?: string;
  component: ComponentType;
  variableMonitoringId?: number;
  eventNotificationType: string;
  variable: { name: string; instance?: string };
}

export interface NotifyEventRequest {
  generatedAt: string;
  tbc?: boolean;
  seqNo: number;
  eventData: EventData[];
}

/** A station's date, or null when it is none a column can hold (a clock at year 0, say). */
function storableDate(s: string | undefined): Date | null {
  if (s === undefined) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) && ms >= Date.UTC(1970, 0, 1) && ms <= Date.UTC(9999, 11, 31, 23, 59, 59, 999)
    ? new Date(ms)
    : null;
}

export function reportedDisplayMessages(infos: readonly MessageInfo[]): DisplayMessage[] {
  for (const i of infos) {
    requireInt32({ id: i.id });
    requireStorableIds({
      'display.evse.id': i.display?.evse?.id,
      'display.evse.connectorId': i.display?.evse?.connectorId,
    });
  }
  return infos.map((i) => ({
    messageId: i.id,
    priority: i.priority,
    state: i.state ?? null,
    startDateTime: storableDate(i.startDateTime),
    endDateTime: storableDate(i.endDateTime),
    transactionId: i.transactionId ?? null,
    format: i.message.format,
    language: i.message.language ?? null,
    content: i.message.content,
    display: i.display ?? null,
  }));
}

export function monitoringEvents(data: readonly EventData[]): MonitoringEvent[] {
  for (const d of data) {
    requireInt32({ eventId: d.eventId, cause: d.cause, variableMonitoringId: d.variableMonitoringId });
    requireStorableIds({
      'component.evse.id': d.component.evse?.id,
      'component.evse.connectorId': d.component.evse?.connectorId,
    });
  }
  return data.map((d) => ({
    eventId: d.eventId,
    timestamp: d.timestamp,
    trigger: d.trigger,
    actualValue: d.actualValue,
    cause: d.cause ?? null,
    techCode: d.techCode ?? null,
    techInfo: d.techInfo ?? null,
    cleared: d.cleared ?? null,
    transactionId: d.transactionId ?? null,
    variableMonitoringId: d.variableMonitoringId ?? null,
    eventNotificationType: d.eventNotificationType,
    componentName: d.component.name,
    componentInstance: d.component.instance ?? null,
    evseId: d.component.evse?.id ?? null,
    connectorId: d.component.evse?.connectorId ?? null,
    variableName: d.variable.name,
    variableInstance: d.variable.instance ?? null,
  }));
}

/** Triggers worth telling the operator at once; Periodic readings are only listed. */
const ALERTING_TRIGGERS = new Set(['Alerting', 'Delta']);

/**
 * NotifyEvent: stored as sent (the notifications list) and item by item (the monitoring events),
 * both committed before the answer; then each Alerting or Delta item is published as
 * `station.monitoring_event`.
 */
export const notifyEvent =
  (
    store: ChargerNotificationsRepository,
    monitoring: MonitoringRecordsService,
    events: EventBus,
  ): Handler<NotifyEventRequest, object> =>
  async ({ tenantId, stationId, chargePointId, params }) => {
    const items = monitoringEvents(params.eventData);
    const [, stored] = await Promise.all([
      store.record(tenantId, { stationId, action: 'NotifyEvent', payload: params }),
      monitoring.onEvents(tenantId, stationId, items),
    ]);
    for (const e of stored)
      if (ALERTING_TRIGGERS.has(e.trigger))
        void events.publish({
          type: 'station.monitoring_event',
          tenantId,
          stationId,
          data: {
            stationId,
            chargePointId,
            eventId: e.eventId,
            // The station's clock, as reported.
            timestamp: e.timestamp,
            trigger: e.trigger,
            actualValue: e.actualValue,
            component: { name: e.componentName, instance: e.componentInstance },
            variable: { name: e.variableName, instance: e.variableInstance },
            evse: e.evseId === null ? null : { id: e.evseId, connectorId: e.connectorId },
            severity: e.severity,
            techCode: e.techCode,
            techInfo: e.techInfo,
            cleared: e.cleared,
            variableMonitoringId: e.variableMonitoringId,
          },
        });
    return {};
  };

/** A NotifyDisplayMessages part updates the station's stored display messages (the station's truth). */
export const onDisplayMessagesReported =
  (displayMessages: DisplayMessageRecordsService) =>
  async ({ tenantId, stationId }: ChargerContext, params: NotifyDisplayMessagesRequest): Promise<void> => {
    requireInt32({ requestId: params.requestId });
    await displayMessages.onReported(
      tenantId,
      stationId,
      params.requestId,
      reportedDisplayMessages(params.messageInfo ?? []),
      params.tbc !== true,
    );
  };
