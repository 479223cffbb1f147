import { createRPCError } from 'ocpp-rpc';
import { DomainError } from '../../src/common/domain-error';
import { ChargerCommands } from '../../src/ocpp/gateway/charger-commands';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestStation, aCharger, aStation } from '../factories/chargers';

describe('ChargerCommands: outbound OCPP calls', () => {
  let t: TestApp;
  let commands: ChargerCommands;
  let station: TestStation;
  let charger: ChargerSimulator;

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '300' });
    commands = t.app.get(ChargerCommands);
    station = await aStation(t);
    charger = await aCharger(t, station);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (e: unknown) => e as DomainError,
    );

  it('returns the charger’s answer and the charger receives the request', async () => {
    const conf = await commands.call<{ status: string }>(station.chargePointId, 'ChangeConfiguration', {
      key: 'MeterValueSampleInterval',
      value: '30',
    });
    expect(conf).toEqual({ status: 'Accepted' });
    await expect(charger.waitFor('ChangeConfiguration')).resolves.toEqual({
      key: 'MeterValueSampleInterval',
      value: '30',
    });
    expect(charger.configuration.get('MeterValueSampleInterval')).toBe('30');
  });

  it('knows which chargers are connected', async () => {
    await expect(commands.isConnected(station.chargePointId)).resolves.toBe(true);
    await expect(commands.isConnected('NOBODY')).resolves.toBe(false);
  });

  it('fails with CHARGER_TIMEOUT when the charger stays silent', async () => {
    charger.respond('ClearCache', 'silent');
    const started = Date.now();
    const err = await failure(commands.call(station.chargePointId, 'ClearCache', {}, { timeoutMs: 200 }));
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe('CHARGER_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    charger.respond('ClearCache', 'default');
  });

  it('uses OCPP_CALL_TIMEOUT_MS when no timeout is given', async () => {
    charger.respond('ClearCache', 'silent');
    const err = await failure(commands.call(station.chargePointId, 'ClearCache', {}));
    expect(err.code).toBe('CHARGER_TIMEOUT');
    charger.respond('ClearCache', 'default');
  });

  it('fails with CHARGER_ERROR carrying the OCPP error code when the charger answers a CALLERROR', async () => {
    charger.respond('UnlockConnector', () => {
      throw createRPCError('NotSupported', 'no motorised lock');
    });
    const err = await failure(commands.call(station.chargePointId, 'UnlockConnector', { connectorId: 1 }));
    expect(err.code).toBe('CHARGER_ERROR');
    expect(err.details).toMatchObject({ ocppErrorCode: 'NotSupported' });
    charger.respond('UnlockConnector', 'default');
  });

  it('fails with CHARGER_ERROR when the charger cannot give a valid answer', async () => {
    charger.respond('ClearCache', { status: 'Maybe' } as never);
    const err = await failure(commands.call(station.chargePointId, 'ClearCache', {}));
    expect(err.code).toBe('CHARGER_ERROR');
    charger.respond('ClearCache', 'default');
  });

  it('refuses a request that is not valid OCPP 1.6 before sending it', async () => {
    const err = await failure(commands.call(station.chargePointId, 'Reset', { type: 'Gentle' }));
    expect(err.code).toBe('VALIDATION_FAILED');
    const unknown = await failure(commands.call(station.chargePointId, 'BrewCoffee', {}));
    expect(unknown.code).toBe('VALIDATION_FAILED');
  });

  it('fails with STATION_OFFLINE for a charger that is not connected', async () => {
    const offline = await aStation(t);
    const err = await failure(commands.call(offline.chargePointId, 'Reset', { type: 'Soft' }));
    expect(err.code).toBe('STATION_OFFLINE');
  });

  it('fails with STATION_OFFLINE when the charger drops during the call', async () => {
    const s = await aStation(t);
    const c = await aCharger(t, s);
    c.respond('ClearCache', 'silent');
    const pending = failure(commands.call(s.chargePointId, 'ClearCache', {}, { timeoutMs: 5000 }));
    await c.waitFor('ClearCache');
    await c.close();
    expect((await pending).code).toBe('STATION_OFFLINE');
    await expect(commands.isConnected(s.chargePointId)).resolves.toBe(false);
  });
});
