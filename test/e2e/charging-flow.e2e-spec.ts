import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { liveEvents } from '../factories/live-events';
import { aConnectedCharger, aPricedStation, eventually, sessionOf } from '../factories/sessions';

// 30 per kWh, 50 per session, 20 % tax on top. 12 500 Wh → 375 + 50 = 425 net, 85 tax, 510 total.
const TARIFF = { energyPerKwhMinor: 30, sessionFeeMinor: 50, taxRatePercent: 20 };

describe('charging flow, end to end with the charger simulator', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: { id: string; chargePointId: string };
  let charger: ChargerSimulator;

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
    station = await aPricedStation(t, admin, TARIFF);
    charger = await aConnectedCharger(t, admin, station);
  });
  afterAll(async () => {
    await charger?.close();
    await t.close();
  });

  it('signs up, starts, meters, stops and settles the order with the exact total', async () => {
    const driver = await aUser(t);
    charger.connectors.get(1)!.meter.setRegister(1000);
    const live = await liveEvents(t.wsUrl, driver.token);

    const started = await t.http
      .post('/api/v1/sessions')
      .set(driver.auth)
      .send({ chargePointId: station.chargePointId, connectorId: 1 })
      .expect(201);
    expect(started.body).toMatchObject({
      stationId: station.id,
      chargePointId: station.chargePointId,
      connectorId: 1,
      idTag: driver.idTag,
      userId: driver.userId,
      origin: 'remote',
    });
    expect(['pending', 'active']).toContain(started.body.status);

    const tx = await charger.waitForTransaction(1);
    const active = await eventually(async () => {
      const s = await sessionOf(t, driver, started.body.id);
      expect(s.status).toBe('active');
      return s;
    });
    expect(active).toMatchObject({ transactionId: tx.transactionId, meterStartWh: 1000, energyWh: 0 });
    expect(active.startedAt).not.toBeNull();

    await charger.meterValues(1, tx.transactionId, [
      { value: '7.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register' },
      { value: '7.2', unit: 'kW', measurand: 'Power.Active.Import' },
      { value: '55', unit: 'Percent', measurand: 'SoC' },
    ]);
    const charging = await sessionOf(t, driver, started.body.id);
    expect(charging).toMatchObject({ energyWh: 6500, powerW: 7200, socPercent: 55 });
    expect(charging.elapsedSeconds).toBeGreaterThanOrEqual(0);
    // 6.5 kWh × 30 = 195, + 50 fee = 245, + 20 % = 294
    expect(charging.estimatedCost).toEqual({ amountMinor: 294, currency: 'EUR' });

    await charger.meterValues(1, tx.transactionId, 13_500);
    await t.http.post(`/api/v1/sessions/${started.body.id}/stop`).set(driver.auth).expect(200);
    await charger.waitForTransactionStopped(tx.transactionId);

    const order = await sessionOf(t, driver, started.body.id);
    expect(order).toMatchObject({
      status: 'completed',
      energyWh: 12_500,
      meterStopWh: 13_500,
      stopReason: 'Remote',
      paymentStatus: 'unpaid',
      anomalies: [],
    });
    expect(order.orderNumber).toMatch(/^KW-\d{8}-\d{7}$/);
    expect(order.cost).toMatchObject({ amountMinor: 510, currency: 'EUR', netMinor: 425, taxMinor: 85 });
    expect(
      order.cost.lines.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor]),
    ).toEqual([
      ['energy', 375],
      ['session_fee', 50],
      ['tax', 85],
    ]);

    const readings = await t.http
      .get(`/api/v1/sessions/${order.id}/meter-values`)
      .set(driver.auth)
      .expect(200);
    expect(readings.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: 7500 }),
        expect.objectContaining({ measurand: 'Power.Active.Import', unit: 'W', value: 7200 }),
        expect.objectContaining({ measurand: 'SoC', unit: '%', value: 55 }),
      ]),
    );

    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/kilowatt_session_events_total\{type="session.completed"\} [1-9]/);
    expect(metrics.text).toMatch(/kilowatt_meter_values_stored_total [1-9]/);

    // The same story reached the driver's live socket.
    const completedEvent = await eventually(() => {
      const e = live.events.find((m) => m.type === 'session.completed');
      if (!e) throw new Error('no session.completed yet');
      return e;
    });
    expect(live.events.map((m) => m.type)).toEqual(
      expect.arrayContaining(['session.started', 'session.updated', 'session.completed']),
    );
    expect(completedEvent.data).toMatchObject({
      id: order.id,
      status: 'completed',
      cost: { amountMinor: 510 },
    });
    live.ws.close();
  });

  it('lets an admin mark the order paid, and refuses a driver', async () => {
    const driver = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(driver.auth)
      .send({ qr: `ocpp://${station.chargePointId}?connector=2` })
      .expect(201);
    const tx = await charger.waitForTransaction(2);
    await charger.stopCharging(2, 'EVDisconnected');
    await eventually(async () => expect((await sessionOf(t, driver, res.body.id)).status).toBe('completed'));
    expect(tx.idTag).toBe(driver.idTag);

    await t.http
      .patch(`/api/v1/sessions/${res.body.id}`)
      .set(driver.auth)
      .send({ paymentStatus: 'paid' })
      .expect(403);
    const paid = await t.http
      .patch(`/api/v1/sessions/${res.body.id}`)
      .set(admin.auth)
      .send({ paymentStatus: 'paid' })
      .expect(200);
    expect(paid.body).toMatchObject({ paymentStatus: 'paid', stopReason: 'EVDisconnected' });
  });

  it('records a session started at the charger with an RFID card, with no pending phase', async () => {
    const driver = await aUser(t);
    const result = await charger.startCharging({ connectorId: 1, idTag: driver.idTag, authorize: true });
    expect(result).toMatchObject({ accepted: true });

    const list = await t.http.get('/api/v1/sessions').set(driver.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      status: 'active',
      origin: 'local',
      transactionId: result.transactionId,
      userId: driver.userId,
      connectorId: 1,
    });
    expect(list.body.items[0].requestedAt).toBe(list.body.items[0].startedAt);

    await charger.meterValues(1, result.transactionId, 2_000);
    const stopped = await charger.stopCharging(1);
    expect(stopped.idTagInfo?.status).toBe('Accepted');
    const done = await eventually(async () => {
      const s = await sessionOf(t, driver, list.body.items[0].id);
      expect(s.status).toBe('completed');
      return s;
    });
    expect(done.cost.amountMinor).toBeGreaterThan(0);
  });
});
