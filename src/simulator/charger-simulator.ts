import { on } from 'node:events';
import { createRPCError } from 'ocpp-rpc';
import { ChargePointConnection } from './charge-point-connection';
import { canStartSession, startSession, stopSession } from './charging-session';
import { ChargingProfileStore } from './charging-profiles';
import { defaultCommandHandlers, type DefaultHandlers } from './command-handlers';
import { ConfigurationStore } from './configuration';
import { ConnectorMeter, energyOnly, parseMeasurands } from './meter';
import type * as Ocpp from '../ocpp-types/ocpp16';
import {
  type ActiveTransaction,
  type ChargerSimulatorOptions,
  type ConnectorState,
  type HandlerOutcome,
  type Reservation,
  type SentCall,
  type StartChargingInput,
  type StartChargingResult,
  type StartTransactionInput,
  type StatusExtras,
  type StopTransactionInput,
  type TransactionStarted,
  type ResolvedOptions,
  restingStatus,
  withDefaults,
} from './simulator-types';

export * from './simulator-types';
export type * from '../ocpp-types/ocpp16';
export { createRPCError };

// An OCPP 1.6J charge point with metered connectors. Tests drive it message by message (boot,
// startTransaction, ...) or session by session (startCharging), and it answers the central
// system's commands the way real firmware does unless told otherwise with respond().
export class ChargerSimulator extends ChargePointConnection {
  readonly options: ResolvedOptions;
  readonly connectors = new Map<number, ConnectorState>();
  readonly configuration: ConfigurationStore;
  readonly chargingProfiles = new ChargingProfileStore();
  readonly localAuthList = new Map<string, Ocpp.IdTagInfo>();
  localListVersion = 0;
  // A reservation of connector 0: any one connector is kept for its holder (OCPP 1.6 5.13).
  stationReservation?: Reservation;
  chargePointStatus: Ocpp.ChargePointStatus = 'Available';
  chargePointAvailability: Ocpp.AvailabilityType = 'Operative';
  diagnosticsStatus: Ocpp.DiagnosticsStatus = 'Idle';
  firmwareStatus: Ocpp.FirmwareStatus = 'Idle';
  registration?: Ocpp.BootNotificationConf;
  heartbeatIntervalSeconds?: number;
  meterIntervalMs: number;

  private readonly defaults: DefaultHandlers;
  private readonly meterTimers = new Map<number, NodeJS.Timeout>();
  private heartbeatTimer?: NodeJS.Timeout;

  constructor(options: ChargerSimulatorOptions) {
    const resolved = withDefaults(options);
    super(resolved);
    this.options = resolved;
    this.meterIntervalMs = resolved.meterIntervalMs;
    this.configuration = new ConfigurationStore({
      connectors: resolved.connectors,
      heartbeatIntervalSeconds: 300,
      meterValueSampleIntervalSeconds: Math.max(1, Math.round(resolved.meterIntervalMs / 1000)),
      reserveConnectorZero: resolved.reserveConnectorZero,
    });
    for (let connectorId = 1; connectorId <= resolved.connectors; connectorId++) {
      const meter = new ConnectorMeter({ powerW: resolved.powerW });
      this.connectors.set(connectorId, {
        connectorId,
        status: 'Available',
        errorCode: 'NoError',
        availability: 'Operative',
        meter,
      });
    }
    this.defaults = defaultCommandHandlers(this);
  }

  // ---- Messages the charge point sends -------------------------------------------------------

  async boot(): Promise<Ocpp.BootNotificationConf> {
    const reply = await this.call<Ocpp.BootNotificationConf>('BootNotification', {
      chargePointVendor: this.options.vendor,
      chargePointModel: this.options.model,
      chargePointSerialNumber: this.options.serialNumber,
      firmwareVersion: this.options.firmwareVersion,
      meterType: 'Simulated 3-phase meter',
    });
    this.registration = reply;
    // While Pending or Rejected the interval is the retry delay, not the heartbeat (OCPP 1.6 4.2).
    if (reply.status === 'Accepted' && reply.interval > 0) {
      this.heartbeatIntervalSeconds = reply.interval;
      this.configuration.setInternal('HeartbeatInterval', String(reply.interval));
      if (this.heartbeatTimer) this.startHeartbeats();
    }
    return reply;
  }

  heartbeat(): Promise<Ocpp.HeartbeatConf> {
    return this.call<Ocpp.HeartbeatConf>('Heartbeat', {});
  }

  async statusNotification(
    connectorId: number,
    status: Ocpp.ChargePointStatus,
    errorCode: Ocpp.ChargePointErrorCode = 'NoError',
    extra: StatusExtras = {},
  ): Promise<Ocpp.EmptyConf> {
    const connector = this.connectors.get(connectorId);
    if (connector) Object.assign(connector, { status, errorCode });
    if (connectorId === 0) this.chargePointStatus = status;
    const timestamp = (extra.timestamp ? new Date(extra.timestamp) : new Date()).toISOString();
    return this.call<Ocpp.EmptyConf>('StatusNotification', {
      connectorId,
      status,
      errorCode,
      ...extra,
      timestamp,
    });
  }

  authorize(idTag: string): Promise<Ocpp.AuthorizeConf> {
    return this.call<Ocpp.AuthorizeConf>('Authorize', { idTag });
  }

  async startTransaction(input: StartTransactionInput): Promise<Ocpp.StartTransactionConf> {
    const { connectorId, idTag, meterStart, timestamp, reservationId } = input;
    const connector = this.connectors.get(connectorId);
    if (meterStart !== undefined) connector?.meter.setRegister(meterStart);
    const meterStartWh = meterStart ?? connector?.meter.registerWh ?? 0;
    const startedAt = timestamp ? new Date(timestamp) : new Date();
    const reply = await this.call<Ocpp.StartTransactionConf>('StartTransaction', {
      connectorId,
      idTag,
      meterStart: meterStartWh,
      timestamp: startedAt.toISOString(),
      ...(reservationId !== undefined && { reservationId }),
    });
    if (connector && reply.idTagInfo.status === 'Accepted') {
      const transaction: ActiveTransaction = {
        transactionId: reply.transactionId,
        idTag,
        meterStartWh,
        startedAt,
        reservationId,
      };
      connector.transaction = transaction;
      if (reservationId !== undefined && connector.reservation?.reservationId === reservationId)
        connector.reservation = undefined;
      if (reservationId !== undefined && this.stationReservation?.reservationId === reservationId)
        this.stationReservation = undefined;
      connector.meter.startCharging();
      this.emit('transactionStarted', { connectorId, ...transaction });
    }
    return reply;
  }

  // Without explicit values the connector's meter is sampled with the measurands configured in
  // MeterValuesSampledData; a number reports (and sets) the energy register alone.
  async meterValues(
    connectorId: number,
    transactionId?: number,
    values?: Ocpp.SampledValue[] | number,
    context: Ocpp.ReadingContext = 'Sample.Periodic',
  ): Promise<Ocpp.EmptyConf> {
    const connector = this.connectors.get(connectorId);
    const txId = transactionId ?? connector?.transaction?.transactionId;
    let meterValue: Ocpp.MeterValue;
    if (Array.isArray(values)) {
      meterValue = { timestamp: new Date().toISOString(), sampledValue: values };
    } else if (typeof values === 'number') {
      connector?.meter.setRegister(values);
      meterValue = energyOnly(values, context);
    } else if (connector) {
      const measurands = parseMeasurands(this.configuration.get('MeterValuesSampledData'));
      meterValue = connector.meter.sample(context, measurands, connector.transaction !== undefined);
    } else {
      throw new Error(
        `Connector ${connectorId} does not exist on ${this.chargePointId}; pass the values explicitly`,
      );
    }
    return this.call<Ocpp.EmptyConf>('MeterValues', {
      connectorId,
      ...(txId !== undefined && { transactionId: txId }),
      meterValue: [meterValue],
    });
  }

  async stopTransaction(input: StopTransactionInput): Promise<Ocpp.StopTransactionConf> {
    const { transactionId, meterStop, reason, idTag, timestamp, transactionData } = input;
    const connector = this.connectorByTransaction(transactionId);
    if (!connector && meterStop === undefined) {
      throw new Error(
        `meterStop is required for transaction ${transactionId}, which ${this.chargePointId} did not start`,
      );
    }
    let meterStopWh = meterStop ?? 0;
    if (connector) {
      this.stopMeterValues(connector.connectorId);
      connector.meter.stopCharging();
      if (meterStop !== undefined) connector.meter.setRegister(meterStop);
      meterStopWh = connector.meter.registerWh;
      // The charging has physically ended whatever the central system answers.
      connector.transaction = undefined;
      this.chargingProfiles.endTransaction(connector.connectorId);
    }
    const reply = await this.call<Ocpp.StopTransactionConf>('StopTransaction', {
      transactionId,
      meterStop: meterStopWh,
      timestamp: (timestamp ? new Date(timestamp) : new Date()).toISOString(),
      ...(reason !== undefined && { reason }),
      ...(idTag !== undefined && { idTag }),
      ...(transactionData !== undefined && { transactionData }),
    });
    if (connector) {
      this.emit('transactionStopped', {
        connectorId: connector.connectorId,
        transactionId,
        meterStopWh,
        reason: reason ?? 'Local',
      });
    }
    return reply;
  }

  dataTransfer(input: {
    vendorId: string;
    messageId?: string;
    data?: string;
  }): Promise<Ocpp.DataTransferConf> {
    return this.call<Ocpp.DataTransferConf>('DataTransfer', input);
  }

  diagnosticsStatusNotification(status: Ocpp.DiagnosticsStatus): Promise<Ocpp.EmptyConf> {
    this.diagnosticsStatus = status;
    return this.call<Ocpp.EmptyConf>('DiagnosticsStatusNotification', { status });
  }

  firmwareStatusNotification(status: Ocpp.FirmwareStatus): Promise<Ocpp.EmptyConf> {
    this.firmwareStatus = status;
    return this.call<Ocpp.EmptyConf>('FirmwareStatusNotification', { status });
  }

  // Sends each connector's current status; connector 0 is the charge point itself.
  async announceStatuses(connectorIds: number[] = [0, ...this.connectors.keys()]): Promise<void> {
    for (const connectorId of connectorIds) {
      const connector = this.connectors.get(connectorId);
      if (connectorId === 0) {
        await this.statusNotification(
          0,
          this.chargePointAvailability === 'Operative' ? 'Available' : 'Unavailable',
        );
      } else if (connector) {
        await this.statusNotification(
          connectorId,
          connector.transaction ? connector.status : restingStatus(connector),
          connector.errorCode,
        );
      }
    }
  }

  // ---- Sessions the way a driver and the charger firmware run them (charging-session.ts) -------

  canStart(connectorId: number, idTag: string): boolean {
    return canStartSession(this, connectorId, idTag);
  }

  startCharging(input: StartChargingInput): Promise<StartChargingResult> {
    return startSession(this, input);
  }

  stopCharging(connectorId: number, reason: Ocpp.StopReason = 'Local'): Promise<Ocpp.StopTransactionConf> {
    return stopSession(this, connectorId, reason);
  }

  // Sends MeterValues while the connector has a transaction, each one after the previous reply.
  startMeterValues(connectorId: number): void {
    this.stopMeterValues(connectorId);
    if (this.meterIntervalMs <= 0) return;
    const tick = (): void => {
      const timer = setTimeout(() => {
        if (!this.connectors.get(connectorId)?.transaction) return;
        this.runInBackground(`MeterValues for connector ${connectorId}`, async () => {
          await this.meterValues(connectorId);
          if (this.meterTimers.get(connectorId) === timer) tick();
        });
      }, this.meterIntervalMs);
      this.meterTimers.set(connectorId, timer);
    };
    tick();
  }

  stopMeterValues(connectorId: number): void {
    clearTimeout(this.meterTimers.get(connectorId));
    this.meterTimers.delete(connectorId);
  }

  startHeartbeats(intervalSeconds?: number): void {
    this.stopHeartbeats();
    const seconds =
      intervalSeconds ??
      this.heartbeatIntervalSeconds ??
      this.configuration.getInteger('HeartbeatInterval') ??
      300;
    if (seconds <= 0) return;
    this.heartbeatTimer = setInterval(
      () => this.runInBackground('Heartbeat', async () => void (await this.heartbeat())),
      seconds * 1000,
    );
  }

  get heartbeating(): boolean {
    return this.heartbeatTimer !== undefined;
  }

  // Connectors that currently send periodic MeterValues.
  get meteringConnectors(): number[] {
    return [...this.meterTimers.keys()];
  }

  stopHeartbeats(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  connectorByTransaction(transactionId: number): ConnectorState | undefined {
    return [...this.connectors.values()].find((c) => c.transaction?.transactionId === transactionId);
  }

  requireConnector(connectorId: number): ConnectorState {
    const connector = this.connectors.get(connectorId);
    if (!connector) throw new Error(`${this.chargePointId} has no connector ${connectorId}`);
    return connector;
  }

  async waitForTransaction(connectorId: number, timeoutMs = 5000): Promise<ActiveTransaction> {
    const active = this.connectors.get(connectorId)?.transaction;
    if (active) return active;
    try {
      for await (const [started] of on(this, 'transactionStarted', {
        signal: AbortSignal.timeout(timeoutMs),
      })) {
        if ((started as TransactionStarted).connectorId === connectorId) return started as TransactionStarted;
      }
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    }
    throw new Error(
      `Timed out after ${timeoutMs} ms waiting for a transaction on ${this.chargePointId}/${connectorId}`,
    );
  }

  // Resolves with the StopTransaction the central system answered, whoever ended the transaction.
  waitForTransactionStopped(transactionId: number, timeoutMs = 5000): Promise<SentCall> {
    return this.sentLog.waitFor(
      (c) =>
        c.action === 'StopTransaction' && c.reply !== undefined && c.params.transactionId === transactionId,
      timeoutMs,
      `StopTransaction ${transactionId} from ${this.chargePointId}`,
      false,
    );
  }

  protected defaultHandler(
    action: string,
  ): ((params: unknown) => Promise<HandlerOutcome> | HandlerOutcome) | undefined {
    return (
      this.defaults as Partial<Record<string, (params: unknown) => Promise<HandlerOutcome> | HandlerOutcome>>
    )[action];
  }

  protected override teardown(): void {
    super.teardown();
    this.stopHeartbeats();
    for (const connectorId of [...this.meterTimers.keys()]) this.stopMeterValues(connectorId);
    // Promised starts and stops whose follow-up can no longer run must not block the connector.
    for (const connector of this.connectors.values()) connector.pending = undefined;
  }
}
