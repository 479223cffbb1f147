import { randomUUID } from 'node:crypto';
import { createRPCError } from 'ocpp-rpc';
import { ChargePointConnection } from '../charge-point-connection';
import { ConnectorMeter } from '../meter';
import type { HandlerOutcome } from '../simulator-types';
import { StationCertificates } from './certificates';
import { type ComponentRef, SimulatedDeviceModel, type VariableRef } from './device-model';
import type { TlsOptions } from '../diagnostics';
import { SmartCharging201 } from './smart-charging';
import { SimulatedDisplayMonitoring } from './display-monitoring';
import { SimulatedFirmwareAndLogs } from './firmware-logs';
import type { MeterValue as MeterValue16 } from '../../ocpp-types/ocpp16';

export interface ChargingStation201Options {
  url: string;
  chargePointId: string;
  /** EVSEs, one connector each (the usual 2.0.1 station). */
  evses?: number;
  password?: string;
  /** wss: the server's CA, and a client certificate for security profile 3. */
  tls?: TlsOptions;
  vendor?: string;
  model?: string;
  meterIntervalMs?: number;
  powerW?: number;
  reconnect?: boolean;
  callTimeoutMs?: number;
}

type Status = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

interface Transaction {
  transactionId: string;
  idToken: string;
  seqNo: number;
  remoteStartId?: number;
}

interface Evse {
  id: number;
  status: Status;
  meter: ConnectorMeter;
  transaction?: Transaction;
}

/** A reservation the station holds (OCPP 2.0.1 H01): of one EVSE, or of any when `evseId` is absent. */
interface Reservation {
  id: number;
  evseId?: number;
  idToken: string;
}

interface TransactionEventInput {
  evse: Evse;
  eventType: 'Started' | 'Updated' | 'Ended';
  triggerReason: string;
  context: string;
  stoppedReason?: string;
  withIdToken?: boolean;
}

/** A 1.6-shaped sample of the shared meter in 2.0.1 words: numbers, unitOfMeasure. */
const toMeterValue201 = (mv: MeterValue16) => ({
  timestamp: mv.timestamp,
  sampledValue: mv.sampledValue.map(({ value, unit, context, measurand, phase, location }) => ({
    value: Number(value),
    ...(context && { context }),
    ...(measurand && { measurand }),
    ...(phase && { phase }),
    ...(location && { location }),
    ...(unit && { unitOfMeasure: { unit } }),
  })),
});

// An OCPP 2.0.1 charging station: EVSEs with a metered connector each, transactions reported with
// TransactionEvent (seqNo per transaction, Transaction.Begin/End registers, periodic Updated), a
// small device model for GetVariables/SetVariables, and answers to the CSMS's requests the way
// firmware gives them. TransactionEvents while disconnected are queued and replayed in order with
// `offline: true` (OCPP 2.0.1 E12).
export class ChargingStation201 extends ChargePointConnection {
  readonly evses = new Map<number, Evse>();
  /** Running cost per transaction, as CostUpdated or the Ended answer gave it. */
  readonly totalCosts = new Map<string, number>();
  readonly deviceModel: SimulatedDeviceModel;
  readonly certificates: StationCertificates;
  /** Display messages and variable monitors; `displayMonitoring.notifyEvent(…)` sends NotifyEvent. */
  readonly displayMonitoring = new SimulatedDisplayMonitoring({
    call: (action, params) => this.call(action, params),
    deviceModel: () => this.deviceModel,
    hasTransaction: (id) => this.transactionById(id) !== undefined,
  });
  /** UpdateFirmware (signed included) and GetLog uploads. */
  readonly firmwareAndLogs = new SimulatedFirmwareAndLogs(this);
  private readonly options: Required<Omit<ChargingStation201Options, 'password' | 'tls'>> &
    Pick<ChargingStation201Options, 'password' | 'tls'>;
  private readonly offlineQueue: object[] = [];
  /** By reservation id. */
  readonly reservations = new Map<number, Reservation>();
  /** Charging profiles and the local list. */
  readonly smartCharging: SmartCharging201;
  private heartbeatTimer?: NodeJS.Timeout;
  private readonly meterTimers = new Map<number, NodeJS.Timeout>();

  constructor(options: ChargingStation201Options) {
    const resolved = {
      evses: 2,
      vendor: 'Kilowatt',
      model: 'Simulated AC 22kW',
      meterIntervalMs: 30_000,
      powerW: 22_000,
      reconnect: false,
      callTimeoutMs: 30_000,
      ...options,
    };
    super({ ...resolved, protocol: 'ocpp2.0.1' });
    this.options = resolved;
    this.deviceModel = new SimulatedDeviceModel(resolved.evses);
    this.certificates = new StationCertificates(this.chargePointId, (action, payload) =>
      this.call(action, payload),
    );
    for (let id = 1; id <= resolved.evses; id++)
      this.evses.set(id, { id, status: 'Available', meter: new ConnectorMeter({ powerW: resolved.powerW }) });
    this.on('open', () => this.runInBackground('offline replay', () => this.replayOffline()));
    this.smartCharging = new SmartCharging201({
      chargePointId: this.chargePointId,
      hasEvse: (id) => this.evses.has(id),
      evseCount: () => this.evses.size,
      transactionOn: (id) => this.evses.get(id)?.transaction?.transactionId,
      powerW: resolved.powerW,
      call: (action, params) => this.call(action, params),
    });
  }

  // ---- Messages the station sends ------------------------------------------------------------

  async boot(reason = 'PowerUp'): Promise<{ status: string; interval: number; currentTime: string }> {
    const reply = await this.call<{ status: string; interval: number; currentTime: string }>(
      'BootNotification',
      {
        reason,
        chargingStation: {
          vendorName: this.options.vendor,
          model: this.options.model,
          firmwareVersion: '2.0.1-sim',
        },
      },
    );
    if (reply.status === 'Accepted' && reply.interval > 0)
      this.deviceModel.put('OCPPCommCtrlr', 'HeartbeatInterval', String(reply.interval));
    return reply;
  }

  heartbeat(): Promise<{ currentTime: string }> {
    return this.call('Heartbeat', {});
  }

  async statusNotification(evseId: number, status: Status): Promise<void> {
    const evse = this.evses.get(evseId);
    if (evse) evse.status = status;
    await this.call('StatusNotification', {
      timestamp: new Date().toISOString(),
      connectorStatus: status,
      evseId,
      connectorId: 1,
    });
  }

  /**
   * SecurityEventNotification (OCPP 2.0.1 A04): `type` one of part 2 appendix 1's (FirmwareUpdated,
   * SettingSystemTime, TamperDetectionActivated, …); `timestamp` the station's clock, now by default.
   */
  securityEvent(type: string, opts: { techInfo?: string; timestamp?: string } = {}): Promise<object> {
    return this.call('SecurityEventNotification', {
      type,
      timestamp: opts.timestamp ?? new Date().toISOString(),
      ...(opts.techInfo !== undefined && { techInfo: opts.techInfo }),
    });
  }

  async announceStatuses(): Promise<void> {
    for (const evse of this.evses.values()) await this.statusNotification(evse.id, evse.status);
  }

  authorize(idToken: string): Promise<{ idTokenInfo: { status: string } }> {
    return this.call('Authorize', { idToken: { idToken, type: 'ISO14443' } });
  }

  /** Plugs in, starts a transaction for `idToken` and meters it; resolves with the charger's transaction id. */
  async startCharging(evseId: number, idToken: string, remoteStartId?: number): Promise<string> {
    const evse = this.requireEvse(evseId);
    if (evse.transaction) throw new Error(`EVSE ${evseId} of ${this.chargePointId} is busy`);
    evse.transaction = { transactionId: randomUUID(), idToken, seqNo: 0, remoteStartId };
    // The holder's transaction uses up the reservation of its EVSE (or of the station).
    for (const r of this.reservations.values())
      if (r.idToken === idToken && (r.evseId ?? evseId) === evseId) this.reservations.delete(r.id);
    evse.status = 'Occupied';
    evse.meter.startCharging();
    await this.statusNotification(evseId, 'Occupied');
    await this.transactionEvent({
      evse,
      eventType: 'Started',
      triggerReason: remoteStartId === undefined ? 'Authorized' : 'RemoteStart',
      context: 'Transaction.Begin',
      withIdToken: true,
    });
    this.startMeterValues(evse);
    return evse.transaction.transactionId;
  }

  /** One Updated event with the meter's readings now. */
  async updateTransaction(evseId: number): Promise<void> {
    const evse = this.requireEvse(evseId);
    if (!evse.transaction) throw new Error(`EVSE ${evseId} has no transaction`);
    await this.transactionEvent({
      evse,
      eventType: 'Updated',
      triggerReason: 'MeterValuePeriodic',
      context: 'Sample.Periodic',
    });
  }

  async stopCharging(evseId: number, stoppedReason = 'Local'): Promise<void> {
    const evse = this.requireEvse(evseId);
    if (!evse.transaction) throw new Error(`EVSE ${evseId} has no transaction`);
    this.stopMeterValues(evseId);
    evse.meter.stopCharging();
    await this.transactionEvent({
      evse,
      eventType: 'Ended',
      triggerReason: stoppedReason === 'Remote' ? 'RemoteStop' : 'StopAuthorized',
      context: 'Transaction.End',
      stoppedReason,
    });
    this.smartCharging.endTransaction(evse.transaction.transactionId);
    evse.transaction = undefined;
    await this.statusNotification(evseId, 'Available');
  }

  /** The transaction running on the EVSE, once there is one (e.g. after a remote start). */
  async waitForTransaction(evseId: number, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = this.evses.get(evseId)?.transaction;
      if (running) return running.transactionId;
      if (Date.now() > deadline) throw new Error(`No transaction on EVSE ${evseId} of ${this.chargePointId}`);
      await this.sleep(20);
    }
  }

  /** The last total cost the CSMS gave for a transaction (CostUpdated, or the Ended answer). */
  lastTotalCost(transactionId: string): number | undefined {
    return this.totalCosts.get(transactionId);
  }

  startHeartbeats(): void {
    clearInterval(this.heartbeatTimer);
    const seconds = Number(this.deviceModel.get('OCPPCommCtrlr', 'HeartbeatInterval') ?? 300);
    if (seconds <= 0) return;
    this.heartbeatTimer = setInterval(
      () => this.runInBackground('Heartbeat', async () => void (await this.heartbeat())),
      seconds * 1000,
    );
  }

  // ---- Internals -------------------------------------------------------------------------------

  private async transactionEvent(input: TransactionEventInput): Promise<Record<string, unknown>> {
    const { evse, eventType, triggerReason, context, stoppedReason, withIdToken } = input;
    const tx = evse.transaction!;
    const sample = toMeterValue201(evse.meter.sample(context as never));
    const request = {
      eventType,
      timestamp: new Date().toISOString(),
      triggerReason,
      seqNo: tx.seqNo++,
      transactionInfo: {
        transactionId: tx.transactionId,
        chargingState: eventType === 'Ended' ? 'EVConnected' : 'Charging',
        ...(stoppedReason && { stoppedReason }),
        ...(tx.remoteStartId !== undefined && eventType === 'Started' && { remoteStartId: tx.remoteStartId }),
      },
      evse: { id: evse.id, connectorId: 1 },
      ...(withIdToken && { idToken: { idToken: tx.idToken, type: 'ISO14443' } }),
      meterValue: [sample],
    };
    if (!this.connected) {
      this.offlineQueue.push({ ...request, offline: true });
      return {};
    }
    const reply = await this.call<Record<string, unknown>>('TransactionEvent', request);
    if (typeof reply.totalCost === 'number') this.totalCosts.set(tx.transactionId, reply.totalCost);
    return reply;
  }

  private async replayOffline(): Promise<void> {
    while (this.offlineQueue.length > 0) {
      const event = this.offlineQueue[0] as { transactionInfo: { transactionId: string } };
      const reply = await this.call<Record<string, unknown>>('TransactionEvent', event);
      if (typeof reply.totalCost === 'number')
        this.totalCosts.set(event.transactionInfo.transactionId, reply.totalCost);
      this.offlineQueue.shift();
    }
  }

  private startMeterValues(evse: Evse): void {
    const ms = this.options.meterIntervalMs;
    if (ms <= 0) return;
    const timer = setInterval(
      () => this.runInBackground(`Updated on EVSE ${evse.id}`, () => this.updateTransaction(evse.id)),
      ms,
    );
    this.meterTimers.set(evse.id, timer);
  }

  private stopMeterValues(evseId: number): void {
    clearInterval(this.meterTimers.get(evseId));
    this.meterTimers.delete(evseId);
  }

  /** ReserveNowStatusEnumType for a new (or replaced) reservation `id` of an EVSE, or of any. */
  private reservable(id: number, evseId: number | undefined): string {
    const heldBy = (e: Evse) => [...this.reservations.values()].some((r) => r.id !== id && r.evseId === e.id);
    const free = (e: Evse) =>
      !e.transaction && !heldBy(e) && e.status !== 'Unavailable' && e.status !== 'Faulted';
    if (evseId === undefined) return [...this.evses.values()].some(free) ? 'Accepted' : 'Occupied';
    const evse = this.evses.get(evseId);
    if (!evse) return 'Rejected';
    if (evse.status === 'Faulted' || evse.status === 'Unavailable') return evse.status;
    return evse.transaction || heldBy(evse) ? 'Occupied' : 'Accepted';
  }

  private async releaseReserved(evseId: number | undefined): Promise<void> {
    const evse = evseId === undefined ? undefined : this.evses.get(evseId);
    if (evse?.status === 'Reserved') await this.statusNotification(evse.id, 'Available');
  }

  private requireEvse(id: number): Evse {
    const evse = this.evses.get(id);
    if (!evse) throw new Error(`${this.chargePointId} has no EVSE ${id}`);
    return evse;
  }

  private transactionById(transactionId: string): Evse | undefined {
    return [...this.evses.values()].find((e) => e.transaction?.transactionId === transactionId);
  }

  protected defaultHandler(action: string): ((params: unknown) => HandlerOutcome) | undefined {
    const handlers: Record<string, (params: never) => HandlerOutcome> = {
      ...this.certificates.handlers(),
      ...this.smartCharging.handlers(),
      ...this.displayMonitoring.handlers(),
      ...this.firmwareAndLogs.handlers(),
      RequestStartTransaction: (p: {
        evseId?: number;
        idToken: { idToken: string };
        remoteStartId: number;
      }) => {
        const evse = [...this.evses.values()].find((e) => (p.evseId ?? e.id) === e.id && !e.transaction);
        if (!evse) return { reply: { status: 'Rejected' } };
        return {
          reply: { status: 'Accepted' },
          followUp: async () => void (await this.startCharging(evse.id, p.idToken.idToken, p.remoteStartId)),
        };
      },
      RequestStopTransaction: (p: { transactionId: string }) => {
        const evse = this.transactionById(p.transactionId);
        if (!evse) return { reply: { status: 'Rejected' } };
        return { reply: { status: 'Accepted' }, followUp: () => this.stopCharging(evse.id, 'Remote') };
      },
      GetTransactionStatus: (p: { transactionId?: string }) => ({
        reply: {
          messagesInQueue: this.offlineQueue.length > 0,
          ...(p.transactionId !== undefined && {
            ongoingIndicator: this.transactionById(p.transactionId) !== undefined,
          }),
        },
      }),
      CostUpdated: (p: { totalCost: number; transactionId: string }) => {
        this.totalCosts.set(p.transactionId, p.totalCost);
        return { reply: {} };
      },
      Reset: () => ({
        reply: { status: 'Accepted' },
        followUp: async () => {
          for (const evse of this.evses.values())
            if (evse.transaction) await this.stopCharging(evse.id, 'ImmediateReset');
          await this.boot('RemoteReset');
          await this.announceStatuses();
        },
      }),
      UnlockConnector: (p: { evseId: number }) => {
        const evse = this.evses.get(p.evseId);
        if (!evse) return { reply: { status: 'UnknownConnector' } };
        return { reply: { status: evse.transaction ? 'OngoingAuthorizedTransaction' : 'Unlocked' } };
      },
      ChangeAvailability: (p: { operationalStatus: 'Operative' | 'Inoperative'; evse?: { id: number } }) => {
        const targets = p.evse
          ? [this.evses.get(p.evse.id)].filter((e) => e !== undefined)
          : [...this.evses.values()];
        if (targets.length === 0) return { reply: { status: 'Rejected' } };
        if (targets.some((e) => e.transaction)) return { reply: { status: 'Scheduled' } };
        const status: Status = p.operationalStatus === 'Operative' ? 'Available' : 'Unavailable';
        return {
          reply: { status: 'Accepted' },
          followUp: async () => {
            for (const e of targets) await this.statusNotification(e.id, status);
          },
        };
      },
      TriggerMessage: (p: { requestedMessage: string; evse?: { id: number } }) => {
        const send: Record<string, () => Promise<unknown>> = {
          BootNotification: () => this.boot('Triggered'),
          Heartbeat: () => this.heartbeat(),
          StatusNotification: () =>
            p.evse
              ? this.statusNotification(p.evse.id, this.requireEvse(p.evse.id).status)
              : this.announceStatuses(),
          SignChargingStationCertificate: () => this.certificates.requestSigning(),
        };
        const run = send[p.requestedMessage];
        if (!run) return { reply: { status: 'NotImplemented' } };
        return { reply: { status: 'Accepted' }, followUp: async () => void (await run()) };
      },
      ReserveNow: (p: {
        id: number;
        expiryDateTime: string;
        idToken: { idToken: string };
        evseId?: number;
      }) => {
        const status = this.reservable(p.id, p.evseId);
        if (status !== 'Accepted') return { reply: { status } };
        const reservation: Reservation = { id: p.id, evseId: p.evseId, idToken: p.idToken.idToken };
        this.reservations.set(p.id, reservation);
        // At expiry the station drops the reservation and says so (H01.FR.17).
        this.schedule(
          `expiry of reservation ${p.id}`,
          Date.parse(p.expiryDateTime) - Date.now(),
          async () => {
            if (this.reservations.get(p.id) !== reservation) return;
            this.reservations.delete(p.id);
            await this.call('ReservationStatusUpdate', {
              reservationId: p.id,
              reservationUpdateStatus: 'Expired',
            });
            await this.releaseReserved(p.evseId);
          },
        );
        return {
          reply: { status: 'Accepted' },
          followUp: async () => {
            if (p.evseId !== undefined) await this.statusNotification(p.evseId, 'Reserved');
          },
        };
      },
      CancelReservation: (p: { reservationId: number }) => {
        const reservation = this.reservations.get(p.reservationId);
        if (!reservation) return { reply: { status: 'Rejected' } };
        this.reservations.delete(p.reservationId);
        return { reply: { status: 'Accepted' }, followUp: () => this.releaseReserved(reservation.evseId) };
      },
      ClearCache: () => ({ reply: { status: 'Accepted' } }),
      DataTransfer: () => ({ reply: { status: 'UnknownVendorId' } }),
      GetVariables: (p: {
        getVariableData: { component: ComponentRef; variable: VariableRef; attributeType?: string }[];
      }) => ({
        reply: {
          getVariableResult: p.getVariableData.map(({ component, variable, attributeType }) => {
            const { status, value } = this.deviceModel.read(component, variable);
            const supported = status !== 'Accepted' || (attributeType ?? 'Actual') === 'Actual';
            return {
              attributeStatus: supported ? status : 'NotSupportedAttributeType',
              component,
              variable,
              ...(attributeType !== undefined && { attributeType }),
              ...(supported && value !== undefined && { attributeValue: value }),
            };
          }),
        },
      }),
      SetVariables: (p: {
        setVariableData: {
          component: ComponentRef;
          variable: VariableRef;
          attributeType?: string;
          attributeValue: string;
        }[];
      }) => ({
        reply: {
          setVariableResult: p.setVariableData.map(
            ({ component, variable, attributeType, attributeValue }) => ({
              attributeStatus: this.deviceModel.set(component, variable, attributeValue, attributeType),
              component,
              variable,
              ...(attributeType !== undefined && { attributeType }),
            }),
          ),
        },
      }),
      // The inventory in parts of DeviceDataCtrlr.ItemsPerMessage[GetReport] entries, tbc on all but the last.
      GetBaseReport: (p: { requestId: number }) => ({
        reply: { status: 'Accepted' },
        followUp: async () => {
          const perPart = Number(
            this.deviceModel.read(
              { name: 'DeviceDataCtrlr' },
              { name: 'ItemsPerMessage', instance: 'GetReport' },
            ).value ?? 10,
          );
          const parts = this.deviceModel.reportParts(perPart);
          for (const [seqNo, reportData] of parts.entries())
            await this.call('NotifyReport', {
              requestId: p.requestId,
              generatedAt: new Date().toISOString(),
              seqNo,
              ...(seqNo < parts.length - 1 && { tbc: true }),
              reportData,
            });
        },
      }),
    };
    const handler = handlers[action] as ((params: unknown) => HandlerOutcome) | undefined;
    return (
      handler ??
      (() => {
        throw createRPCError('NotImplemented', `${this.chargePointId} does not implement ${action}`);
      })
    );
  }

  protected override teardown(): void {
    super.teardown();
    clearInterval(this.heartbeatTimer);
    for (const id of [...this.meterTimers.keys()]) this.stopMeterValues(id);
  }
}
