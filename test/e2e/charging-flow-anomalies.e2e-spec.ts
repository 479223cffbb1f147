import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import {
  aConnectedCharger,
  aPricedStation,
  anActiveSession,
  eventually,
  sessionOf,
} from '../factories/sessions';

type Conf = { transactionId: number; idTagInfo: { status: string } };

describe('charger anomalies are kept and flagged, never dropped', () => {
  let t: TestApp;
  let admin: TestAccount;
  const chargers: ChargerSimulator[] = [];
  const aStationOnline = async () => {
    const station = await aPricedStation(t, admin, { energyPerKwhMinor: 40 });
    const charger = await aConnectedCharger(t, admin, station);
    chargers.push(charger);
    return { station, charger };
  };
  const completed = (who: TestAccount, id: string) =>
    eventually(async () => {
      const s = await sessionOf(t, who, id);
      expect(s.status).toBe('completed');
      return s;
    });

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  it('bills 0 Wh and flags a meterStop below meterStart', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    charger.connectors.get(1)!.meter.setRegister(5_000);
    const session = await anActiveSession(t, user, station, 1);
    await charger.stopTransaction({
      transactionId: session.transactionId,
      meterStop: 4_000,
      reason: 'Local',
    });
    const done = await completed(user, session.id);
    expect(done).toMatchObject({ energyWh: 0, meterStartWh: 5_000, meterStopWh: 4_000 });
    expect(done.cost.amountMinor).toBe(0);
    expect(done.anomalies.map((a: { kind: string }) => a.kind)).toEqual(['meter_stop_below_start']);
  });

  it('acknowledges a StopTransaction for an unknown transaction and records it once', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const stop = {
      transactionId: 987_654,
      meterStop: 100,
      idTag: user.idTag,
      timestamp: new Date().toISOString(),
    };
    const first = await charger.call<{ idTagInfo: { status: string } }>('StopTransaction', stop);
    const retry = await charger.call<{ idTagInfo: { status: string } }>('StopTransaction', stop);
    expect(first.idTagInfo.status).toBe('Accepted');
    expect(retry).toEqual(first);
    const res = await t.http.get('/api/v1/sessions/anomalies').set(admin.auth).expect(200);
    const unknown = res.body.items.filter((a: { transactionId: number }) => a.transactionId === 987_654);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({
      kind: 'unknown_transaction_stop',
      stationId: station.id,
      sessionId: null,
    });
    await t.http.get('/api/v1/sessions/anomalies').set(user.auth).expect(403);
  });

  it('closes a session with the reason when its station reboots mid-session', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    charger.connectors.get(1)!.meter.setRegister(1_000);
    const session = await anActiveSession(t, user, station, 1);
    await charger.meterValues(1, session.transactionId, 3_500);
    await charger.boot();
    const done = await completed(user, session.id);
    expect(done).toMatchObject({ stopReason: 'Reboot', energyWh: 2_500 });
    expect(done.cost.amountMinor).toBe(100);
    expect(done.anomalies.map((a: { kind: string }) => a.kind)).toEqual(['station_rebooted']);

    // The charger's own (late) stop for that transaction is its authoritative end: billed again on it.
    await charger.call('StopTransaction', {
      transactionId: session.transactionId,
      meterStop: 4_000,
      timestamp: new Date().toISOString(),
      reason: 'PowerLoss',
    });
    const after = await sessionOf(t, user, session.id);
    expect(after).toMatchObject({ stopReason: 'PowerLoss', energyWh: 3_000, orderNumber: done.orderNumber });
    expect(after.cost.amountMinor).toBe(120);
    expect(after.anomalies.map((a: { kind: string }) => a.kind)).toEqual([
      'station_rebooted',
      'stop_corrected',
    ]);
  });

  it('gives a retried StartTransaction the same transactionId and records one session', async () => {
    const { charger } = await aStationOnline();
    const user = await aUser(t);
    const req = { connectorId: 2, idTag: user.idTag, meterStart: 10, timestamp: '2026-11-22T10:00:00.000Z' };
    const first = await charger.call<Conf>('StartTransaction', req);
    const retry = await charger.call<Conf>('StartTransaction', req);
    expect(retry.transactionId).toBe(first.transactionId);
    expect(first.idTagInfo.status).toBe('Accepted');
    const list = await t.http.get('/api/v1/sessions').set(user.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      origin: 'local',
      status: 'active',
      transactionId: first.transactionId,
    });
  });

  it('answers a retried StopTransaction the same and settles only once', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const session = await anActiveSession(t, user, station, 1);
    const stop = {
      transactionId: session.transactionId,
      meterStop: 25_000,
      timestamp: new Date().toISOString(),
      reason: 'Local',
    };
    const first = await charger.call('StopTransaction', stop);
    const settled = await completed(user, session.id);
    const retry = await charger.call('StopTransaction', { ...stop, meterStop: 99_999 });
    expect(retry).toEqual(first);
    const after = await sessionOf(t, user, session.id);
    expect(after.orderNumber).toBe(settled.orderNumber);
    expect(after.cost).toEqual(settled.cost);
    expect(after.meterStopWh).toBe(25_000);
  });

  it('answers ConcurrentTx for an idTag already charging, and still records what the charger started', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    await anActiveSession(t, user, station, 1);
    const auth = await charger.call<{ idTagInfo: { status: string } }>('Authorize', { idTag: user.idTag });
    expect(auth.idTagInfo.status).toBe('ConcurrentTx');
    const started = await charger.call<Conf>('StartTransaction', {
      connectorId: 2,
      idTag: user.idTag,
      meterStart: 0,
      timestamp: new Date().toISOString(),
    });
    expect(started.idTagInfo.status).toBe('ConcurrentTx');
    const list = await t.http.get('/api/v1/sessions?status=active').set(user.auth).expect(200);
    expect(list.body.items).toHaveLength(2);
    const second = list.body.items.find(
      (s: { transactionId: number }) => s.transactionId === started.transactionId,
    );
    expect(second.anomalies.map((a: { kind: string }) => a.kind)).toEqual(['concurrent_id_tag']);
  });

  it('records a transaction for an unknown idTag and answers Invalid', async () => {
    const { station, charger } = await aStationOnline();
    const started = await charger.call<Conf>('StartTransaction', {
      connectorId: 1,
      idTag: 'NOSUCHTAG',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    });
    expect(started.idTagInfo.status).toBe('Invalid');
    const list = await t.http.get(`/api/v1/sessions?stationId=${station.id}`).set(admin.auth).expect(200);
    expect(list.body.items[0]).toMatchObject({ idTag: 'NOSUCHTAG', userId: null, status: 'active' });
  });
});
