// The OCPP 2.0.1 shapes the central system's handlers read and answer (OCA JSON schemas, as
// validated by ocpp-rpc's strict mode before a handler runs). Types only.

export interface IdToken {
  idToken: string;
  type:
    'Central' | 'eMAID' | 'ISO14443' | 'ISO15693' | 'KeyCode' | 'Local' | 'MacAddress' | 'NoAuthorization';
}

export type AuthorizationStatus =
  | 'Accepted'
  | 'Blocked'
  | 'ConcurrentTx'
  | 'Expired'
  | 'Invalid'
  | 'NoCredit'
  | 'NotAllowedTypeEVSE'
  | 'NotAtThisLocation'
  | 'NotAtThisTime'
  | 'Unknown';

export interface IdTokenInfo {
  status: AuthorizationStatus;
  cacheExpiryDateTime?: string;
  groupIdToken?: IdToken;
}

export interface SampledValue {
  value: number;
  context?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unitOfMeasure?: { unit?: string; multiplier?: number };
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

export interface BootNotificationRequest {
  reason: string;
  chargingStation: {
    model: string;
    vendorName: string;
    serialNumber?: string;
    firmwareVersion?: string;
    modem?: { iccid?: string; imsi?: string };
  };
}

export interface BootNotificationResponse {
  currentTime: string;
  interval: number;
  status: 'Accepted' | 'Pending' | 'Rejected';
}

export interface StatusNotificationRequest {
  timestamp: string;
  connectorStatus: 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';
  evseId: number;
  connectorId: number;
}

export interface AuthorizeRequest {
  idToken: IdToken;
}

export interface TransactionEventRequest {
  eventType: 'Started' | 'Updated' | 'Ended';
  timestamp: string;
  triggerReason: string;
  seqNo: number;
  offline?: boolean;
  numberOfPhasesUsed?: number;
  cableMaxCurrent?: number;
  reservationId?: number;
  transactionInfo: {
    transactionId: string;
    chargingState?: 'Charging' | 'EVConnected' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';
    timeSpentCharging?: number;
    stoppedReason?: string;
    remoteStartId?: number;
  };
  idToken?: IdToken;
  evse?: { id: number; connectorId?: number };
  meterValue?: MeterValue[];
}

export interface TransactionEventResponse {
  totalCost?: number;
  chargingPriority?: number;
  idTokenInfo?: IdTokenInfo;
}

export interface MeterValuesRequest {
  evseId: number;
  meterValue: MeterValue[];
}

export interface SecurityEventNotificationRequest {
  /** One of the security events of OCPP 2.0.1 part 2 appendix 1, or a vendor's own (string[50]). */
  type: string;
  timestamp: string;
  techInfo?: string;
}

export interface ReservationStatusUpdateRequest {
  reservationId: number;
  reservationUpdateStatus: 'Expired' | 'Removed';
}
