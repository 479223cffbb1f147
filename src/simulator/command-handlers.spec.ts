import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { type TestCentralSystem, connectedSimulator, startCentralSystem } from './central-system.fixture';
import type { ChargerSimulator } from './charger-simulator';
import type { ChargerSimulatorOptions } from './simulator-types';

describe('default answers to central system commands', () => {
  let csms: TestCentralSystem;
  let sim: ChargerSimulator;
  let server: RPCServerClient;

  const connect = async (options: Partial<ChargerSimulatorOptions> = {}): Promise<void> => {
    sim = await connectedSimulator(csms, options);
    await sim.boot();
    server = await csms.client('CP001');
  };
  const statuses = (connectorId: number): unknown[] =>
    csms
      .callsOf('StatusNotification')
      .filter((p) => p.connectorId === connectorId)
      .map((p) => p.status);
  const charge = async (connectorId: number): Promise<number> => {
    await server.call('RemoteStartTransaction', { connectorId, idTag: 'TAG-OK' });
    return (await sim.waitForTransaction(connectorId)).transactionId;
  };

  beforeEach(async () => {
    csms = await startCentralSystem();
  });

  afterEach(async () => {
    await sim?.close();
    await csms.close();
  });

  it('lists the requested configuration keys and names the unknown ones', async () => {
    await connect({ connectors: 3 });

    const some = await server.call('GetConfiguration', {
      key: ['NumberOfConnectors', 'HeartbeatInterval', 'Colour'],
    });
    const all = (await server.call('GetConfiguration', {})) as { configurationKey: { key: string }[] };

    expect(some).toEqual({
      configurationKey: [
        { key: 'NumberOfConnectors', readonly: true, value: '3' },
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
      ],
      unknownKey: ['Colour'],
    });
    expect(all.configurationKey.map((k) => k.key)).toEqual(
      expect.arrayContaining([
        'MeterValueSampleInterval',
        'MeterValuesSampledData',
        'AuthorizeRemoteTxRequests',
        'LocalAuthListEnabled',
      ]),
    );
  });

  it.each([
    ['HeartbeatInterval', '60', 'Accepted', '60'],
    ['HeartbeatInterval', 'soon', 'Rejected', '300'],
    ['NumberOfConnectors', '4', 'Rejected', '2'],
    [
      'MeterValuesSampledData',
      'Energy.Active.Import.Register,Voltage',
      'Accepted',
      'Energy.Active.Import.Register,Voltage',
    ],
    ['MeterValuesSampledData', 'Energy.Active.Import.Register,Smell', 'Rejected', undefined],
    ['ChargingColour', 'blue', 'NotSupported', undefined],
  ])('answers ChangeConfiguration %s=%s with %s', async (key, value, status, stored) => {
    await connect();

    const reply = await server.call('ChangeConfiguration', { key, value });

    expect(reply).toEqual({ status });
    if (stored !== undefined) expect(sim.configuration.get(key)).toBe(stored);
    if (key === 'HeartbeatInterval') expect(sim.heartbeatIntervalSeconds).toBe(Number(stored));
  });

  it('only samples the measurands configured in MeterValuesSampledData', async () => {
    await connect();
    await server.call('ChangeConfiguration', {
      key: 'MeterValuesSampledData',
      value: 'Energy.Active.Import.Register,Power.Active.Import',
    });

    await charge(1);
    const meter = (await csms.waitForCall('MeterValues')) as {
      meterValue: { sampledValue: { measurand: string }[] }[];
    };

    expect(meter.meterValue[0].sampledValue.map((v) => v.measurand)).toEqual([
      'Energy.Active.Import.Register',
      'Power.Active.Import',
    ]);
  });

  it('schedules ChangeAvailability while charging and applies it when the session ends', async () => {
    await connect();
    const transactionId = await charge(1);
    await sim.whenIdle();

    const busy = await server.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    const idle = await server.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    await server.call('RemoteStopTransaction', { transactionId });
    await sim.waitForTransactionStopped(transactionId);
    await sim.whenIdle();

    expect([busy, idle]).toEqual([{ status: 'Scheduled' }, { status: 'Accepted' }]);
    expect(statuses(1)).toEqual(['Preparing', 'Charging', 'Finishing', 'Unavailable']);
    expect(statuses(2)).toEqual(['Unavailable']);
    expect(await server.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-OK' })).toEqual({
      status: 'Rejected',
    });
    expect(await server.call('ChangeAvailability', { connectorId: 9, type: 'Operative' })).toEqual({
      status: 'Rejected',
    });
  });

  it('sends the message TriggerMessage asks for', async () => {
    await connect();

    const heartbeat = await server.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
    await csms.waitForCall('Heartbeat');
    await server.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 2 });
    const meter = (await csms.waitForCall('MeterValues')) as {
      connectorId: number;
      meterValue: { sampledValue: { context: string }[] }[];
    };
    await server.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 0 });
    const status = await csms.waitForCall('StatusNotification');
    await server.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    const firmware = await csms.waitForCall('FirmwareStatusNotification');
    const unknown = await server.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 5 });

    expect(heartbeat).toEqual({ status: 'Accepted' });
    expect(meter.connectorId).toBe(2);
    expect(meter.meterValue[0].sampledValue.every((v) => v.context === 'Trigger')).toBe(true);
    expect(status).toMatchObject({ connectorId: 0, status: 'Available' });
    expect(firmware).toEqual({ status: 'Idle' });
    expect(unknown).toEqual({ status: 'Rejected' });
  });

  it('walks UpdateFirmware through Downloading, Downloaded, Installing and Installed', async () => {
    await connect();

    const reply = await server.call('UpdateFirmware', {
      location: 'https://fw.example.com/v2.bin',
      retrieveDate: new Date().toISOString(),
    });
    await csms.waitForCall('FirmwareStatusNotification', (p) => p.status === 'Installed');

    expect(reply).toEqual({});
    expect(csms.callsOf('FirmwareStatusNotification').map((p) => p.status)).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ]);
    expect(sim.firmwareStatus).toBe('Installed');
  });

  it('reserves a connector, refuses a busy one and cancels by reservation id', async () => {
    await connect();
    await charge(2);
    const expiryDate = new Date(Date.now() + 60_000).toISOString();

    const reserved = await server.call('ReserveNow', {
      connectorId: 1,
      expiryDate,
      idTag: 'TAG-OK',
      reservationId: 7,
    });
    const occupied = await server.call('ReserveNow', {
      connectorId: 2,
      expiryDate,
      idTag: 'TAG-OK',
      reservationId: 8,
    });
    const stranger = await server.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-OTHER' });
    const cancelled = await server.call('CancelReservation', { reservationId: 7 });
    const unknown = await server.call('CancelReservation', { reservationId: 7 });
    await sim.whenIdle();

    expect([reserved, occupied, stranger, cancelled, unknown]).toEqual([
      { status: 'Accepted' },
      { status: 'Occupied' },
      { status: 'Rejected' },
      { status: 'Accepted' },
      { status: 'Rejected' },
    ]);
    expect(statuses(1)).toEqual(['Reserved', 'Available']);
  });

  it('starts on a reserved connector for the holder and quotes the reservation', async () => {
    await connect();
    const expiryDate = new Date(Date.now() + 60_000).toISOString();
    await server.call('ReserveNow', { connectorId: 1, expiryDate, idTag: 'TAG-OK', reservationId: 42 });
    await sim.whenIdle();

    await charge(1);

    expect(csms.callsOf('StartTransaction')[0]).toMatchObject({ connectorId: 1, reservationId: 42 });
    expect(sim.connectors.get(1)?.reservation).toBeUndefined();
  });

  it('reserves connector 0 only with ReserveConnectorZeroSupported, keeping one connector for the holder', async () => {
    await connect();
    const expiryDate = new Date(Date.now() + 60_000).toISOString();
    const unsupported = await server.call('ReserveNow', {
      connectorId: 0,
      expiryDate,
      idTag: 'TAG-OK',
      reservationId: 50,
    });
    await sim.close();

    await connect({ reserveConnectorZero: true });
    const reserved = await server.call('ReserveNow', {
      connectorId: 0,
      expiryDate,
      idTag: 'TAG-OK',
      reservationId: 51,
    });
    const stranger = await server.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-OTHER' });
    await sim.whenIdle();
    const lastFree = await server.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-OTHER-2' });
    const holder = await server.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-OK' });
    await sim.waitForTransaction(2);

    expect([unsupported, reserved, stranger, lastFree, holder]).toEqual([
      { status: 'Rejected' },
      { status: 'Accepted' },
      { status: 'Accepted' },
      { status: 'Rejected' },
      { status: 'Accepted' },
    ]);
    expect(csms.callsOf('StartTransaction').at(-1)).toMatchObject({ connectorId: 2, reservationId: 51 });
    expect(sim.stationReservation).toBeUndefined();
  });

  it('keeps a local authorization list with its version', async () => {
    await connect();
    const entry = (idTag: string) => ({ idTag, idTagInfo: { status: 'Accepted' } });

    const full = await server.call('SendLocalList', {
      listVersion: 3,
      updateType: 'Full',
      localAuthorizationList: [entry('A'), entry('B')],
    });
    const diff = await server.call('SendLocalList', {
      listVersion: 4,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'A' }],
    });
    const stale = await server.call('SendLocalList', {
      listVersion: 4,
      updateType: 'Differential',
      localAuthorizationList: [],
    });
    const version = await server.call('GetLocalListVersion', {});

    expect([full, diff, stale]).toEqual([
      { status: 'Accepted' },
      { status: 'Accepted' },
      { status: 'VersionMismatch' },
    ]);
    expect(version).toEqual({ listVersion: 4 });
    expect([...sim.localAuthList.keys()]).toEqual(['B']);
  });

  it('applies charging profiles to the composite schedule and clears them', async () => {
    await connect();
    const profile = {
      chargingProfileId: 11,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: {
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 16 },
          { startPeriod: 600, limit: 8 },
        ],
      },
    };

    const set = await server.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile });
    const schedule = await server.call('GetCompositeSchedule', {
      connectorId: 1,
      duration: 1200,
      chargingRateUnit: 'A',
    });
    const txWithoutSession = await server.call('SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: { ...profile, chargingProfileId: 12, chargingProfilePurpose: 'TxProfile' },
    });
    const cleared = await server.call('ClearChargingProfile', { id: 11 });
    const again = await server.call('ClearChargingProfile', { id: 11 });

    expect(set).toEqual({ status: 'Accepted' });
    expect(schedule).toMatchObject({
      status: 'Accepted',
      connectorId: 1,
      chargingSchedule: {
        duration: 1200,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 15.9, numberPhases: 3 },
          { startPeriod: 600, limit: 8, numberPhases: 3 },
        ],
      },
    });
    expect([txWithoutSession, cleared, again]).toEqual([
      { status: 'Rejected' },
      { status: 'Accepted' },
      { status: 'Unknown' },
    ]);
  });

  it('ends the session on UnlockConnector with reason UnlockCommand', async () => {
    await connect();
    const transactionId = await charge(1);

    const reply = await server.call('UnlockConnector', { connectorId: 1 });
    const stop = await sim.waitForTransactionStopped(transactionId);

    expect(reply).toEqual({ status: 'Unlocked' });
    expect(stop.params).toMatchObject({ transactionId, reason: 'UnlockCommand' });
  });

  it('answers DataTransfer with UnknownVendorId and ClearCache with Accepted', async () => {
    await connect();

    expect(await server.call('DataTransfer', { vendorId: 'com.example' })).toEqual({
      status: 'UnknownVendorId',
    });
    expect(await server.call('ClearCache', {})).toEqual({ status: 'Accepted' });
  });

  it('stops the session, reconnects and boots again after Reset when reconnect is on', async () => {
    await connect({ reconnect: true });
    const transactionId = await charge(1);

    const reply = await server.call('Reset', { type: 'Soft' });
    const second = await csms.client('CP001');
    await csms.waitForCall('BootNotification', () => csms.callsOf('BootNotification').length === 2);
    await csms.waitForCall('StatusNotification', (p) => p.connectorId === 2 && p.status === 'Available');
    await sim.whenIdle();

    expect(reply).toEqual({ status: 'Accepted' });
    expect(csms.callsOf('StopTransaction')).toEqual([
      expect.objectContaining({ transactionId, reason: 'SoftReset' }),
    ]);
    expect(second).not.toBe(server);
    expect(csms.callsOf('BootNotification')).toHaveLength(2);
    expect(statuses(0)).toEqual(['Available']);
    expect(sim.connected).toBe(true);
  });

  it('takes an AuthorizationKey as its password, reconnects with it and never lists it', async () => {
    await connect({ password: 'the-first-password-01' });
    const key = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

    const reply = await server.call('ChangeConfiguration', { key: 'AuthorizationKey', value: key });
    const second = await csms.client('CP001');
    await sim.whenIdle();

    expect(reply).toEqual({ status: 'Accepted' });
    expect(second).not.toBe(server);
    expect(csms.passwords.get('CP001')).toBe(key);
    expect(sim.connected).toBe(true);
    const listed = await second.call('GetConfiguration', { key: ['AuthorizationKey'] });
    expect(listed).toEqual({ configurationKey: [], unknownKey: ['AuthorizationKey'] });
  });

  it('rejects an AuthorizationKey shorter than 16 characters and keeps its connection', async () => {
    await connect({ password: 'the-first-password-01' });

    const reply = await server.call('ChangeConfiguration', { key: 'AuthorizationKey', value: 'short-key' });
    await sim.whenIdle();

    expect(reply).toEqual({ status: 'Rejected' });
    expect(csms.passwords.get('CP001')).toBe('the-first-password-01');
    expect(sim.connected).toBe(true);
  });

  it('stays offline after Reset when reconnect is off', async () => {
    await connect();
    const closed = new Promise((resolve) => sim.once('close', resolve));

    await server.call('Reset', { type: 'Hard' });

    expect(await closed).toEqual({ code: 1012, reason: 'Hard reset' });
    expect(sim.connected).toBe(false);
  });
});
