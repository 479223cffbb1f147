import type { TlsOptions } from './diagnostics';
import type { ConnectorMeter } from './meter';
import type {
  AvailabilityType,
  ChargePointErrorCode,
  ChargePointStatus,
  CommandReply,
  CommandRequest,
  IdTagInfo,
  IncomingAction,
  MeterValue,
  StopReason,
} from '../ocpp-types/ocpp16';

export interface ChargerSimulatorOptions {
  url: string;
  chargePointId: string;
  connectors?: number;
  password?: string;
  tls?: TlsOptions;
  vendor?: string;
  model?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  meterIntervalMs?: number;
  powerW?: number;
  reconnect?: boolean;
  callTimeoutMs?: number;
  firmwareStepDelayMs?: number;
  // ReserveConnectorZeroSupported: ReserveNow on connector 0 reserves any one connector.
  reserveConnectorZero?: boolean;
}

export type ResolvedOptions = Required<Omit<ChargerSimulatorOptions, 'password' | 'tls'>> &
  Pick<ChargerSimulatorOptions, 'password' | 'tls'>;

export function withDefaults(options: ChargerSimulatorOptions): ResolvedOptions {
  return {
    connectors: 2,
    vendor: 'Kilowatt',
    model: 'Simulated AC 11kW',
    serialNumber: `SIM-${options.chargePointId}`.slice(0, 25),
    firmwareVersion: '1.6.0-sim',
    meterIntervalMs: 2000,
    powerW: 11_000,
    reconnect: false,
    callTimeoutMs: 30_000,
    firmwareStepDelayMs: 500,
    reserveConnectorZero: false,
    ...options,
  };
}

export interface ActiveTransaction {
  transactionId: number;
  idTag: string;
  meterStartWh: number;
  startedAt: Date;
  reservationId?: number;
}

export interface Reservation {
  reservationId: number;
  idTag: string;
  parentIdTag?: string;
  expiresAt: Date;
}

export interface ConnectorState {
  readonly connectorId: number;
  // The status last reported to the central system.
  status: ChargePointStatus;
  errorCode: ChargePointErrorCode;
  availability: AvailabilityType;
  // ChangeAvailability that waits for the running transaction to end.
  scheduledAvailability?: AvailabilityType;
  transaction?: ActiveTransaction;
  reservation?: Reservation;
  // A session start or stop already promised to the central system but still in progress.
  pending?: 'start' | 'stop';
  readonly meter: ConnectorMeter;
}

// The status a connector without a transaction shows.
export function restingStatus(connector: ConnectorState): ChargePointStatus {
  if (connector.availability === 'Inoperative') return 'Unavailable';
  if (connector.status === 'Faulted') return 'Faulted';
  return connector.reservation ? 'Reserved' : 'Available';
}

export interface ReceivedCall {
  action: string;
  params: Record<string, unknown>;
  at: Date;
  messageId: string;
}

export interface SentCall {
  action: string;
  params: Record<string, unknown>;
  reply?: Record<string, unknown>;
  error?: unknown;
  at: Date;
}

export interface StartTransactionInput {
  connectorId: number;
  idTag: string;
  meterStart?: number;
  timestamp?: Date | string;
  reservationId?: number;
}

export interface StopTransactionInput {
  transactionId: number;
  meterStop?: number;
  reason?: StopReason;
  idTag?: string;
  timestamp?: Date | string;
  transactionData?: MeterValue[];
}

export interface StatusExtras {
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  timestamp?: Date | string;
}

export interface StartChargingInput {
  connectorId: number;
  idTag: string;
  // Send Authorize first, as a charger does for a locally presented card.
  authorize?: boolean;
}

export interface StartChargingResult {
  accepted: boolean;
  idTagInfo: IdTagInfo;
  transactionId?: number;
}

export interface TransactionStarted extends ActiveTransaction {
  connectorId: number;
}

export interface TransactionStopped {
  connectorId: number;
  transactionId: number;
  meterStopWh: number;
  reason: StopReason;
}

export interface TaskFailure {
  task: string;
  error: unknown;
  at: Date;
}

export interface SimulatorEvents {
  open: [];
  close: [{ code: number; reason: string }];
  received: [ReceivedCall];
  sent: [SentCall];
  transactionStarted: [TransactionStarted];
  transactionStopped: [TransactionStopped];
  taskFailed: [TaskFailure];
}

export interface ResponderContext<A extends IncomingAction> {
  messageId: string;
  // Runs the built-in behaviour, follow-up included, and returns the reply it would give.
  useDefault: () => Promise<CommandReply<A>>;
}

export type Responder<A extends IncomingAction> = (
  params: CommandRequest<A>,
  context: ResponderContext<A>,
) => CommandReply<A> | Promise<CommandReply<A>>;

// A handler, a fixed reply, 'silent' (never answer, to test timeouts) or 'default' (built-in).
export type ResponseBehaviour<A extends IncomingAction> =
  Responder<A> | CommandReply<A> | 'silent' | 'default';

// A built-in answer to a command: the reply goes out first, then the follow-up runs (status
// changes, transactions, uploads), as a charge point acts on a command it has accepted.
export interface HandlerOutcome<R extends object = object> {
  reply: R;
  followUp?: () => Promise<void>;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
