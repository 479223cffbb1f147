import { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { aPricedStation, eventually, sessionOf } from '../factories/sessions';

// 30 per kWh, 50 per session: 4 000 Wh → 120 + 50 = 170.
const TARIFF = { energyPerKwhMinor: 30, sessionFeeMinor: 50 };

/** One simulated station, driven the same way whichever protocol it speaks. */
interface Driven {
  start(idTag: string): Promise<number | string>;
  setRegister(wh: number): void;
  stop(): Promise<void>;
  waitForTransaction(): Promise<number | string>;
  close(): Promise<unknown>;
}

async function aDrivenStation(
  t: TestApp,
  chargePointId: string,
  protocol: 'ocpp1.6' | 'ocpp2.0.1',
): Promise<Driven> {
  const common = {
    url: `${t.wsUrl}/ocpp`,
    chargePointId,
    meterIntervalMs: 0,
    powerW: 0,
    callTimeoutMs: 5000,
  };
  if (protocol === 'ocpp1.6') {
    const sim = new ChargerSimulator({ ...common, connectors: 1 });
    await sim.connect();
    await sim.boot();
    await sim.announceStatuses();
    return {
      start: async (idTag) => (await sim.startCharging({ connectorId: 1, idTag })).transactionId!,
      setRegister: (wh) => sim.requireConnector(1).meter.setRegister(wh),
      stop: async () => void (await sim.stopCharging(1)),
      waitForTransaction: async () => (await sim.waitForTransaction(1)).transactionId,
      close: () => sim.close(),
    };
  }
  const station = new ChargingStation201({ ...common, evses: 1 });
  await station.connect();
  await station.boot();
  await station.announceStatuses();
  return {
    start: (idTag) => station.startCharging(1, idTag),
    setRegister: (wh) => station.evses.get(1)!.meter.setRegister(wh),
    stop: () => station.stopCharging(1),
    waitForTransaction: () => station.waitForTransaction(1),
    close: () => station.close(),
  };
}

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)('the core stories with the simulator in %s', (protocol) => {
  let t: TestApp;
  let admin: TestAccount;
  const open: Driven[] = [];

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
  });

  async function aStationOnline() {
    const station = await aPricedStation(t, admin, TARIFF);
    const driven = await aDrivenStation(t, station.chargePointId, protocol);
    open.push(driven);
    const view = await eventually(async () => {
      const res = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(res.body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Available' })]);
      return res.body;
    });
    expect(view.ocppVersion).toBe(protocol);
    return { station, driven };
  }

  it('bills a session started and stopped at the station', async () => {
    const { station, driven } = await aStationOnline();
    const driver = await aUser(t);
    driven.setRegister(1000);
    const transactionId = await driven.start(driver.idTag);
    driven.setRegister(5000);
    await driven.stop();
    const [session] = (
      await t.http.get(`/api/v1/sessions?stationId=${station.id}`).set(admin.auth).expect(200)
    ).body.items;
    expect(session).toMatchObject({
      status: 'completed',
      origin: 'local',
      transactionId,
      userId: driver.userId,
      energyWh: 4000,
      cost: { amountMinor: 170, currency: 'EUR' },
    });
  });

  it('starts and stops from the API, the same calls for both protocols', async () => {
    const { station, driven } = await aStationOnline();
    const driver = await aUser(t);
    driven.setRegister(2000);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(driver.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(201);
    const transactionId = await driven.waitForTransaction();
    const active = await eventually(async () => {
      const s = await sessionOf(t, driver, res.body.id);
      expect(s.status).toBe('active');
      return s;
    });
    expect(active).toMatchObject({ origin: 'remote', transactionId, meterStartWh: 2000 });
    driven.setRegister(6000);
    await t.http.post(`/api/v1/sessions/${res.body.id}/stop`).set(driver.auth).expect(200);
    const done = await eventually(async () => {
      const s = await sessionOf(t, driver, res.body.id);
      expect(s.status).toBe('completed');
      return s;
    });
    expect(done).toMatchObject({ energyWh: 4000, stopReason: 'Remote', cost: { amountMinor: 170 } });
  });
});

describe('the 2.0.1 simulator replays what it could not send', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: ChargingStation201;

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    await station?.close();
    await t.close();
  });

  it('queues the end of a transaction while offline and bills it once after reconnecting', async () => {
    const priced = await aPricedStation(t, admin, TARIFF);
    const common = {
      url: `${t.wsUrl}/ocpp`,
      chargePointId: priced.chargePointId,
      meterIntervalMs: 0,
      powerW: 0,
    };
    station = new ChargingStation201({ ...common, evses: 1, callTimeoutMs: 5000 });
    await station.connect();
    await station.boot();
    const driver = await aUser(t);
    const meter = station.evses.get(1)!.meter;
    meter.setRegister(100);
    const transactionId = await station.startCharging(1, driver.idTag);
    await station.close();
    meter.setRegister(4100);
    // The Ended event and the status go nowhere: the Ended is queued, flagged offline.
    await station.stopCharging(1).catch(() => undefined);
    await station.connect();
    await eventually(async () => {
      const [s] = (await t.http.get(`/api/v1/sessions?stationId=${priced.id}`).set(admin.auth).expect(200))
        .body.items;
      expect(s).toMatchObject({
        status: 'completed',
        transactionId,
        energyWh: 4000,
        cost: { amountMinor: 170 },
      });
    });
    // The answer to the replayed Ended carries the bill; it arrives just after the commit.
    await eventually(() => expect(station.lastTotalCost(transactionId)).toBe(1.7));
  });
});
