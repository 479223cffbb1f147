// OCPP 1.6J message shapes, shared by the central system's v16 handlers and the charger simulator.
// Types only, and no imports: the simulator may use this file without importing the server. The RPC
// library validates every frame against the official JSON schemas (ocpp-rpc, ocpp1_6.json), so
// required and optional fields and the enumerations here follow those schemas.

export type ChargePointStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'SuspendedEV'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';

export type ChargePointErrorCode =
  | 'ConnectorLockFailure'
  | 'EVCommunicationError'
  | 'GroundFailure'
  | 'HighTemperature'
  | 'InternalError'
  | 'LocalListConflict'
  | 'NoError'
  | 'OtherError'
  | 'OverCurrentFailure'
  | 'PowerMeterFailure'
  | 'PowerSwitchFailure'
  | 'ReaderFailure'
  | 'ResetFailure'
  | 'UnderVoltage'
  | 'OverVoltage'
  | 'WeakSignal';

export type StopReason =
  | 'EmergencyStop'
  | 'EVDisconnected'
  | 'HardReset'
  | 'Local'
  | 'Other'
  | 'PowerLoss'
  | 'Reboot'
  | 'Remote'
  | 'SoftReset'
  | 'UnlockCommand'
  | 'DeAuthorized';

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export type DiagnosticsStatus = 'Idle' | 'Uploaded' | 'UploadFailed' | 'Uploading';
export type FirmwareStatus =
  | 'Downloaded'
  | 'DownloadFailed'
  | 'Downloading'
  | 'Idle'
  | 'InstallationFailed'
  | 'Installing'
  | 'Installed';
export type AvailabilityType = 'Inoperative' | 'Operative';

export type ReadingContext =
  | 'Interruption.Begin'
  | 'Interruption.End'
  | 'Sample.Clock'
  | 'Sample.Periodic'
  | 'Transaction.Begin'
  | 'Transaction.End'
  | 'Trigger'
  | 'Other';
export type Measurand =
  | 'Energy.Active.Export.Register'
  | 'Energy.Active.Import.Register'
  | 'Energy.Reactive.Export.Register'
  | 'Energy.Reactive.Import.Register'
  | 'Energy.Active.Export.Interval'
  | 'Energy.Active.Import.Interval'
  | 'Energy.Reactive.Export.Interval'
  | 'Energy.Reactive.Import.Interval'
  | 'Power.Active.Export'
  | 'Power.Active.Import'
  | 'Power.Offered'
  | 'Power.Reactive.Export'
  | 'Power.Reactive.Import'
  | 'Power.Factor'
  | 'Current.Import'
  | 'Current.Export'
  | 'Current.Offered'
  | 'Voltage'
  | 'Frequency'
  | 'Temperature'
  | 'SoC'
  | 'RPM';
export type Phase = 'L1' | 'L2' | 'L3' | 'N' | 'L1-N' | 'L2-N' | 'L3-N' | 'L1-L2' | 'L2-L3' | 'L3-L1';
export type Location = 'Cable' | 'EV' | 'Inlet' | 'Outlet' | 'Body';
// 'Celcius' is the schema's own misspelling, kept beside the correct one (OCPP 1.6 errata).
export type UnitOfMeasure =
  | 'Wh'
  | 'kWh'
  | 'varh'
  | 'kvarh'
  | 'W'
  | 'kW'
  | 'VA'
  | 'kVA'
  | 'var'
  | 'kvar'
  | 'A'
  | 'V'
  | 'K'
  | 'Celcius'
  | 'Celsius'
  | 'Fahrenheit'
  | 'Percent';

export interface SampledValue {
  value: string;
  context?: ReadingContext;
  format?: 'Raw' | 'SignedData';
  measurand?: Measurand;
  phase?: Phase;
  location?: Location;
  unit?: UnitOfMeasure;
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

export type ChargingRateUnit = 'A' | 'W';
export type ChargingProfilePurpose = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';

export interface ChargingSchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

export interface ChargingSchedule {
  duration?: number;
  startSchedule?: string;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

export interface ChargingProfile {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurpose;
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  chargingSchedule: ChargingSchedule;
}

// Calls a charge point makes to the central system: request and reply of each.
export interface BootNotificationReq {
  chargePointVendor: string;
  chargePointModel: string;
  chargePointSerialNumber?: string;
  chargeBoxSerialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
}
export interface BootNotificationConf {
  status: 'Accepted' | 'Pending' | 'Rejected';
  currentTime: string;
  interval: number;
}

export type HeartbeatReq = Record<string, never>;
export interface HeartbeatConf {
  currentTime: string;
}

export interface StatusNotificationReq {
  connectorId: number;
  errorCode: ChargePointErrorCode;
  info?: string;
  status: ChargePointStatus;
  timestamp?: string;
  vendorId?: string;
  vendorErrorCode?: string;
}
export type StatusNotificationConf = EmptyConf;

export interface AuthorizeReq {
  idTag: string;
}
export interface AuthorizeConf {
  idTagInfo: IdTagInfo;
}

export interface StartTransactionReq {
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
  reservationId?: number;
}
export interface StartTransactionConf {
  idTagInfo: IdTagInfo;
  transactionId: number;
}

export interface MeterValuesReq {
  connectorId: number;
  transactionId?: number;
  meterValue: MeterValue[];
}
export type MeterValuesConf = EmptyConf;

export interface StopTransactionReq {
  transactionId: number;
  meterStop: number;
  timestamp: string;
  idTag?: string;
  reason?: StopReason;
  transactionData?: MeterValue[];
}
export interface StopTransactionConf {
  idTagInfo?: IdTagInfo;
}

export interface DataTransferReq {
  vendorId: string;
  messageId?: string;
  data?: string;
}
export interface DataTransferConf {
  status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId';
  data?: string;
}

export interface DiagnosticsStatusNotificationReq {
  status: DiagnosticsStatus;
}
export interface FirmwareStatusNotificationReq {
  status: FirmwareStatus;
}

export type EmptyConf = Record<string, never>;

export interface LocalAuthorizationEntry {
  idTag: string;
  idTagInfo?: IdTagInfo;
}

// Commands the central system sends to the charge point: request and reply of each.
export interface IncomingCommands {
  CancelReservation: { req: { reservationId: number }; conf: { status: 'Accepted' | 'Rejected' } };
  ChangeAvailability: {
    req: { connectorId: number; type: AvailabilityType };
    conf: { status: 'Accepted' | 'Rejected' | 'Scheduled' };
  };
  ChangeConfiguration: {
    req: { key: string; value: string };
    conf: { status: 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported' };
  };
  ClearCache: { req: EmptyConf; conf: { status: 'Accepted' | 'Rejected' } };
  ClearChargingProfile: {
    req: {
      id?: number;
      connectorId?: number;
      chargingProfilePurpose?: ChargingProfilePurpose;
      stackLevel?: number;
    };
    conf: { status: 'Accepted' | 'Unknown' };
  };
  DataTransfer: { req: DataTransferReq; conf: DataTransferConf };
  GetCompositeSchedule: {
    req: { connectorId: number; duration: number; chargingRateUnit?: ChargingRateUnit };
    conf: {
      status: 'Accepted' | 'Rejected';
      connectorId?: number;
      scheduleStart?: string;
      chargingSchedule?: ChargingSchedule;
    };
  };
  GetConfiguration: {
    req: { key?: string[] };
    conf: { configurationKey?: { key: string; readonly: boolean; value?: string }[]; unknownKey?: string[] };
  };
  GetDiagnostics: {
    req: {
      location: string;
      retries?: number;
      retryInterval?: number;
      startTime?: string;
      stopTime?: string;
    };
    conf: { fileName?: string };
  };
  GetLocalListVersion: { req: EmptyConf; conf: { listVersion: number } };
  RemoteStartTransaction: {
    req: { connectorId?: number; idTag: string; chargingProfile?: ChargingProfile };
    conf: { status: 'Accepted' | 'Rejected' };
  };
  RemoteStopTransaction: { req: { transactionId: number }; conf: { status: 'Accepted' | 'Rejected' } };
  ReserveNow: {
    req: {
      connectorId: number;
      expiryDate: string;
      idTag: string;
      parentIdTag?: string;
      reservationId: number;
    };
    conf: { status: 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable' };
  };
  Reset: { req: { type: 'Hard' | 'Soft' }; conf: { status: 'Accepted' | 'Rejected' } };
  SendLocalList: {
    req: {
      listVersion: number;
      localAuthorizationList?: LocalAuthorizationEntry[];
      updateType: 'Differential' | 'Full';
    };
    conf: { status: 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch' };
  };
  SetChargingProfile: {
    req: { connectorId: number; csChargingProfiles: ChargingProfile };
    conf: { status: 'Accepted' | 'Rejected' | 'NotSupported' };
  };
  TriggerMessage: {
    req: {
      requestedMessage:
        | 'BootNotification'
        | 'DiagnosticsStatusNotification'
        | 'FirmwareStatusNotification'
        | 'Heartbeat'
        | 'MeterValues'
        | 'StatusNotification';
      connectorId?: number;
    };
    conf: { status: 'Accepted' | 'Rejected' | 'NotImplemented' };
  };
  UnlockConnector: {
    req: { connectorId: number };
    conf: { status: 'Unlocked' | 'UnlockFailed' | 'NotSupported' };
  };
  UpdateFirmware: {
    req: { location: string; retrieveDate: string; retries?: number; retryInterval?: number };
    conf: EmptyConf;
  };
}

export type IncomingAction = keyof IncomingCommands;
export type CommandRequest<A extends IncomingAction> = IncomingCommands[A]['req'];
export type CommandReply<A extends IncomingAction> = IncomingCommands[A]['conf'];
