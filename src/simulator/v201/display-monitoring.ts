import type { HandlerOutcome } from '../simulator-types';
import type { ComponentRef, SimulatedDeviceModel, VariableRef } from './device-model';
import { monitoringReportHandlers } from './monitoring-report';

/** OCPP 2.0.1 MessageInfoType, as the station keeps it. */
export interface SimMessageInfo {
  id: number;
  priority: string;
  state?: string;
  startDateTime?: string;
  endDateTime?: string;
  transactionId?: string;
  message: { format: string; language?: string; content: string };
  display?: ComponentRef;
}

export interface SimMonitor {
  id: number;
  component: ComponentRef;
  variable: VariableRef;
  type: string;
  value: number;
  severity: number;
  transaction: boolean;
}

/** One eventData item to send; eventId, timestamp and eventNotificationType get defaults. */
export interface SimEventData {
  eventId?: number;
  timestamp?: string;
  trigger: 'Alerting' | 'Delta' | 'Periodic';
  actualValue: string;
  component: ComponentRef;
  variable: VariableRef;
  eventNotificationType?: string;
  variableMonitoringId?: number;
  cause?: number;
  techCode?: string;
  techInfo?: string;
  cleared?: boolean;
  transactionId?: string;
}

/** What this part needs of the station: its calls, device model and running transactions. */
export interface StationPort {
  call<T extends object = Record<string, unknown>>(action: string, params: object): Promise<T>;
  deviceModel(): SimulatedDeviceModel;
  hasTransaction(transactionId: string): boolean;
}

/**
 * Messages a display shows (O01–O06) and variable monitors (N02, N04, N06, N07) of a simulated
 * 2.0.1 station.
 */
export class SimulatedDisplayMonitoring {
  /** By message id. HTML is not a format this station's display renders. */
  readonly messages = new Map<number, SimMessageInfo>();
  /** By monitor id. */
  readonly monitors = new Map<number, SimMonitor>();
  /** NotifyDisplayMessages parts carry at most this many messages. */
  messagesPerPart = 4;
  /** NotifyMonitoringReport parts carry at most this many monitors. */
  monitorsPerPart = 4;
  private nextMonitorId = 1;
  private nextEventId = 1;

  constructor(private readonly station: StationPort) {}

  /**
   * A monitor the station has without any CSMS setting it (preconfigured or hard-wired, or set by
   * another CSMS); its id, or the next free one.
   */
  addMonitor(m: Omit<SimMonitor, 'id' | 'transaction'> & { id?: number; transaction?: boolean }): number {
    const id = m.id ?? this.nextMonitorId;
    this.nextMonitorId = Math.max(this.nextMonitorId, id + 1);
    this.monitors.set(id, { ...m, id, transaction: m.transaction ?? false });
    return id;
  }

  /** NotifyEvent with the given items in one message (N07). */
  notifyEvent(items: SimEventData[], opts: { seqNo?: number; tbc?: boolean } = {}): Promise<object> {
    const now = new Date().toISOString();
    return this.station.call('NotifyEvent', {
      generatedAt: now,
      seqNo: opts.seqNo ?? 0,
      ...(opts.tbc && { tbc: true }),
      eventData: items.map((i) => ({
        ...i,
        eventId: i.eventId ?? this.nextEventId++,
        timestamp: i.timestamp ?? now,
        eventNotificationType:
          i.eventNotificationType ??
          (i.variableMonitoringId === undefined ? 'HardWiredNotification' : 'CustomMonitor'),
      })),
    });
  }

  /** The monitor `monitorId` fires: an Alerting (threshold) or Delta event with `actualValue`. */
  fireMonitor(monitorId: number, actualValue: string): Promise<object> {
    const m = this.monitors.get(monitorId);
    if (!m) throw new Error(`No monitor ${monitorId}`);
    return this.notifyEvent([
      {
        trigger: m.type === 'Delta' ? 'Delta' : m.type.startsWith('Periodic') ? 'Periodic' : 'Alerting',
        actualValue,
        component: m.component,
        variable: m.variable,
        variableMonitoringId: m.id,
      },
    ]);
  }

  handlers(): Record<string, (params: never) => HandlerOutcome> {
    return {
      SetDisplayMessage: (p: { message: SimMessageInfo }) => {
        const m = p.message;
        if (m.message.format === 'HTML') return { reply: { status: 'NotSupportedMessageFormat' } };
        if (m.transactionId !== undefined && !this.station.hasTransaction(m.transactionId))
          return { reply: { status: 'UnknownTransaction' } };
        this.messages.set(m.id, m);
        return { reply: { status: 'Accepted' } };
      },
      GetDisplayMessages: (p: { requestId: number; id?: number[]; priority?: string; state?: string }) => {
        const found = [...this.messages.values()].filter(
          (m) =>
            (p.id === undefined || p.id.includes(m.id)) &&
            (p.priority === undefined || m.priority === p.priority) &&
            (p.state === undefined || m.state === p.state),
        );
        if (found.length === 0) return { reply: { status: 'Unknown' } };
        return {
          reply: { status: 'Accepted' },
          followUp: async () => {
            for (let i = 0; i < found.length; i += this.messagesPerPart)
              await this.station.call('NotifyDisplayMessages', {
                requestId: p.requestId,
                ...(i + this.messagesPerPart < found.length && { tbc: true }),
                messageInfo: found.slice(i, i + this.messagesPerPart),
              });
          },
        };
      },
      ClearDisplayMessage: (p: { id: number }) => ({
        reply: { status: this.messages.delete(p.id) ? 'Accepted' : 'Unknown' },
      }),
      SetVariableMonitoring: (p: {
        setMonitoringData: (Omit<SimMonitor, 'id' | 'transaction'> & {
          id?: number;
          transaction?: boolean;
        })[];
      }) => ({
        reply: { setMonitoringResult: p.setMonitoringData.map((d) => this.setMonitor(d)) },
      }),
      ...monitoringReportHandlers({
        monitors: () => this.monitors.values(),
        monitorsPerPart: () => this.monitorsPerPart,
        call: (action, params) => this.station.call(action, params),
      }),
      ClearVariableMonitoring: (p: { id: number[] }) => ({
        reply: {
          clearMonitoringResult: p.id.map((id) => ({
            id,
            status: this.monitors.delete(id) ? 'Accepted' : 'NotFound',
          })),
        },
      }),
    };
  }

  /** N04: only variables of the device model; an id must name a monitor to replace. */
  private setMonitor(
    d: Omit<SimMonitor, 'id' | 'transaction'> & { id?: number; transaction?: boolean },
  ): object {
    const result = { type: d.type, severity: d.severity, component: d.component, variable: d.variable };
    const { status } = this.station.deviceModel().read(d.component, d.variable);
    if (status !== 'Accepted') return { ...result, status };
    if (d.id !== undefined && !this.monitors.has(d.id)) return { ...result, status: 'Rejected' };
    const same = (m: SimMonitor) =>
      JSON.stringify([m.component, m.variable, m.type, m.severity]) ===
      JSON.stringify([d.component, d.variable, d.type, d.severity]);
    if ([...this.monitors.values()].some((m) => m.id !== d.id && same(m)))
      return { ...result, status: 'Duplicate' };
    const id = d.id ?? this.nextMonitorId++;
    this.monitors.set(id, {
      id,
      component: d.component,
      variable: d.variable,
      type: d.type,
      value: d.value,
      severity: d.severity,
      transaction: d.transaction ?? false,
    });
    return { ...result, id, status: 'Accepted' };
  }
}
