import { parseMeasurands } from './meter';

type ValueKind = 'integer' | 'boolean' | 'text' | 'measurands';

interface ConfigEntry {
  key: string;
  value: string;
  readonly: boolean;
  kind: ValueKind;
}

export interface ConfigurationDefaults {
  connectors: number;
  heartbeatIntervalSeconds: number;
  meterValueSampleIntervalSeconds: number;
  reserveConnectorZero?: boolean;
}

export type ChangeConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export interface ConfigurationListing {
  configurationKey: { key: string; readonly: boolean; value: string }[];
  unknownKey: string[];
}

// OCPP 1.6 section 9 lists these keys; the values are what a typical AC wallbox reports.
function standardKeys(d: ConfigurationDefaults): ConfigEntry[] {
  const rw = (key: string, value: string, kind: ValueKind = 'text'): ConfigEntry => ({
    key,
    value,
    kind,
    readonly: false,
  });
  const ro = (key: string, value: string, kind: ValueKind = 'text'): ConfigEntry => ({
    key,
    value,
    kind,
    readonly: true,
  });
  const sampled = 'Energy.Active.Import.Register,Power.Active.Import,SoC,Voltage,Current.Import';
  return [
    rw('AllowOfflineTxForUnknownId', 'false', 'boolean'),
    rw('AuthorizationCacheEnabled', 'true', 'boolean'),
    rw('AuthorizeRemoteTxRequests', 'false', 'boolean'),
    rw('ClockAlignedDataInterval', '0', 'integer'),
    rw('ConnectionTimeOut', '60', 'integer'),
    rw('ConnectorPhaseRotation', Array.from({ length: d.connectors + 1 }, (_, i) => `${i}.RST`).join(',')),
    ro('GetConfigurationMaxKeys', '50', 'integer'),
    rw('HeartbeatInterval', String(d.heartbeatIntervalSeconds), 'integer'),
    rw('LocalAuthorizeOffline', 'true', 'boolean'),
    rw('LocalPreAuthorize', 'false', 'boolean'),
    rw('MeterValuesAlignedData', 'Energy.Active.Import.Register', 'measurands'),
    rw('MeterValuesSampledData', sampled, 'measurands'),
    rw('MeterValueSampleInterval', String(d.meterValueSampleIntervalSeconds), 'integer'),
    ro('NumberOfConnectors', String(d.connectors), 'integer'),
    rw('ResetRetries', '1', 'integer'),
    rw('StopTransactionOnEVSideDisconnect', 'true', 'boolean'),
    rw('StopTransactionOnInvalidId', 'true', 'boolean'),
    rw('StopTxnAlignedData', '', 'measurands'),
    rw('StopTxnSampledData', 'Energy.Active.Import.Register', 'measurands'),
    ro(
      'SupportedFeatureProfiles',
      'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    ),
    rw('TransactionMessageAttempts', '3', 'integer'),
    rw('TransactionMessageRetryInterval', '60', 'integer'),
    rw('UnlockConnectorOnEVSideDisconnect', 'true', 'boolean'),
    rw('WebSocketPingInterval', '30', 'integer'),
    rw('LocalAuthListEnabled', 'true', 'boolean'),
    ro('LocalAuthListMaxLength', '100', 'integer'),
    ro('SendLocalListMaxLength', '100', 'integer'),
    ro('ReserveConnectorZeroSupported', d.reserveConnectorZero ? 'true' : 'false', 'boolean'),
    ro('ChargeProfileMaxStackLevel', '10', 'integer'),
    ro('ChargingScheduleAllowedChargingRateUnit', 'Current,Power'),
    ro('ChargingScheduleMaxPeriods', '24', 'integer'),
    ro('MaxChargingProfilesInstalled', '10', 'integer'),
  ];
}

export class ConfigurationStore {
  private readonly entries = new Map<string, ConfigEntry>();

  constructor(defaults: ConfigurationDefaults) {
    for (const entry of standardKeys(defaults)) this.entries.set(entry.key, entry);
  }

  get(key: string): string | undefined {
    return this.entries.get(key)?.value;
  }

  getInteger(key: string): number | undefined {
    const value = this.get(key);
    return value === undefined ? undefined : Number.parseInt(value, 10);
  }

  getBoolean(key: string): boolean {
    return this.get(key) === 'true';
  }

  // An empty or missing key list asks for every key (OCPP 1.6 GetConfiguration.req).
  list(keys?: string[]): ConfigurationListing {
    const wanted = keys && keys.length > 0 ? keys : [...this.entries.keys()];
    const listing: ConfigurationListing = { configurationKey: [], unknownKey: [] };
    for (const key of wanted) {
      const entry = this.entries.get(key);
      if (entry)
        listing.configurationKey.push({ key: entry.key, readonly: entry.readonly, value: entry.value });
      else listing.unknownKey.push(key);
    }
    return listing;
  }

  change(key: string, value: string): ChangeConfigurationStatus {
    const entry = this.entries.get(key);
    if (!entry) return 'NotSupported';
    if (entry.readonly) return 'Rejected';
    const normalised = normalise(entry.kind, value);
    if (normalised === undefined) return 'Rejected';
    entry.value = normalised;
    return 'Accepted';
  }

  // The charge point itself updates a key, e.g. HeartbeatInterval from a BootNotification reply.
  setInternal(key: string, value: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = value;
    else this.entries.set(key, { key, value, readonly: false, kind: 'text' });
  }
}

function normalise(kind: ValueKind, value: string): string | undefined {
  if (value.length > 500) return undefined;
  switch (kind) {
    case 'integer':
      return /^\d+$/.test(value.trim()) ? String(Number.parseInt(value, 10)) : undefined;
    case 'boolean': {
      const lower = value.trim().toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : undefined;
    }
    case 'measurands': {
      const items = value
        .split(',')
        .map((m) => m.trim())
        .filter((m) => m.length > 0);
      return parseMeasurands(value).length === items.length ? items.join(',') : undefined;
    }
    case 'text':
      return value;
  }
}
