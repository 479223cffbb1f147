import { ConfigurationStore } from './configuration';

describe('ConfigurationStore', () => {
  const store = () =>
    new ConfigurationStore({
      connectors: 2,
      heartbeatIntervalSeconds: 300,
      meterValueSampleIntervalSeconds: 60,
    });

  it.each([
    ['HeartbeatInterval', '120', 'Accepted', '120'],
    ['HeartbeatInterval', ' 90 ', 'Accepted', '90'],
    ['HeartbeatInterval', '-5', 'Rejected', '300'],
    ['AuthorizeRemoteTxRequests', 'TRUE', 'Accepted', 'true'],
    ['AuthorizeRemoteTxRequests', 'yes', 'Rejected', 'false'],
    ['StopTxnSampledData', '', 'Accepted', ''],
    ['MeterValuesSampledData', 'SoC,Frequency', 'Accepted', 'SoC,Frequency'],
    [
      'MeterValuesSampledData',
      'SoC,Mood',
      'Rejected',
      'Energy.Active.Import.Register,Power.Active.Import,SoC,Voltage,Current.Import',
    ],
    ['NumberOfConnectors', '3', 'Rejected', '2'],
    [
      'SupportedFeatureProfiles',
      'Core',
      'Rejected',
      'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    ],
    ['ConnectorPhaseRotation', '0.RST,1.RTS,2.STR', 'Accepted', '0.RST,1.RTS,2.STR'],
    ['NoSuchKey', '1', 'NotSupported', undefined],
  ])('changes %s to %p: %s, value %p', (key, value, status, stored) => {
    const config = store();

    expect(config.change(key, value)).toBe(status);
    expect(config.get(key)).toBe(stored);
  });

  it('lists every key when none are asked for and reports unknown keys', () => {
    const config = store();

    expect(config.list().configurationKey).toHaveLength(32);
    expect(config.list([]).unknownKey).toEqual([]);
    expect(config.list(['ConnectorPhaseRotation', 'Nope'])).toEqual({
      configurationKey: [{ key: 'ConnectorPhaseRotation', readonly: false, value: '0.RST,1.RST,2.RST' }],
      unknownKey: ['Nope'],
    });
  });
});
