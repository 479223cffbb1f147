import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import type { NormalisedSample } from '../../src/sessions/meter-readings';
import { MeterMessage, MeterValuesWriter } from '../../src/sessions/meter-values-writer';
import { SessionWrites } from '../../src/sessions/session-writes.repository';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { aConnectedCharger, aPricedStation, anActiveSession, sessionOf } from '../factories/sessions';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const energy = (wh: number, second = 0): NormalisedSample => ({
  at: new Date(T0 + second * 1000),
  measurand: 'Energy.Active.Import.Register',
  phase: null,
  location: null,
  context: 'Sample.Periodic',
  unit: 'Wh',
  value: wh,
});

interface Bay {
  station: { id: string };
  charger: ChargerSimulator;
  driver: TestAccount;
  session: { id: string; transactionId: number };
}

/**
 * How the writer turns a batch of messages into rows and live readings, on the real repository
 * and database (the queueing itself is Batcher's, tested in its spec). The repository's
 * transaction method is observed, not replaced, to count the transactions a batch took.
 */
describe('MeterValuesWriter', () => {
  let t: TestApp;
  let writer: MeterValuesWriter;
  let repo: SessionWrites;
  let bays: Bay[];

  beforeAll(async () => {
    t = await startApp();
    const admin = await aDefaultTenantAdmin(t);
    bays = [];
    for (let i = 0; i < 2; i++) {
      const station = await aPricedStation(t, admin);
      const charger = await aConnectedCharger(t, admin, station);
      const driver = await aUser(t);
      bays.push({ station, charger, driver, session: await anActiveSession(t, driver, station) });
    }
    writer = t.app.get(MeterValuesWriter);
    repo = t.app.get(SessionWrites);
  });
  afterAll(async () => {
    await Promise.all(bays.map((b) => b.charger.close()));
    await t.close();
  });

  const message = (
    b: Bay,
    samples: NormalisedSample[],
    transactionId = b.session.transactionId,
  ): MeterMessage => ({
    stationId: b.station.id,
    connectorId: 1,
    transactionId,
    samples,
  });
  const valuesOf = async (b: Bay) =>
    (
      (await t.http.get(`/api/v1/sessions/${b.session.id}/meter-values`).set(b.driver.auth).expect(200))
        .body as { value: number }[]
    ).map((r) => r.value);

  it('writes the messages that arrive together in one transaction, and answers each', async () => {
    const [a, b] = bays;
    // The first write starts a batch at once; the three that arrive while it commits share the next.
    const first = writer.write(message(a, [energy(50)]));
    const transactions = jest.spyOn(repo, 'transaction');
    try {
      const results = await Promise.all([
        writer.write(message(a, [energy(100), energy(101)])),
        writer.write(message(b, [energy(200)])),
        writer.write(message(a, [energy(300)], 999_999)),
      ]);
      await first;
      expect(transactions).toHaveBeenCalledTimes(1);
      expect(results.map((r) => [r.stored, r.updated?.id ?? null])).toEqual([
        [2, a.session.id],
        [1, b.session.id],
        [0, null],
      ]);
    } finally {
      transactions.mockRestore();
    }
    expect(await valuesOf(a)).toEqual(expect.arrayContaining([50, 100, 101]));
    expect(await valuesOf(a)).not.toContain(300);
    expect(await valuesOf(b)).toContain(200);
  });

  it("applies one session's messages of a batch in time order and announces it once", async () => {
    const [a] = bays;
    const first = writer.write(message(a, [energy(450, 5)]));
    const results = await Promise.all([
      writer.write(message(a, [energy(500, 20)])),
      writer.write(message(a, [energy(400, 10)])),
      writer.write(message(a, [{ ...energy(55, 30), measurand: 'SoC', unit: '%' }])),
    ]);
    await first;
    expect(results.map((r) => r.updated !== null)).toEqual([false, false, true]);
    const live = await sessionOf(t, a.driver, a.session.id);
    // The newest energy reading of the batch (second 20), and the SoC of the newest message.
    expect(live).toMatchObject({ energyWh: 500 - (live.meterStartWh ?? 0), socPercent: 55 });
    expect(new Date(live.lastMeterAt).getTime()).toBe(T0 + 30_000);
  });

  it('stores a reading dated in 9999 but lets it not freeze the live view', async () => {
    const [, b] = bays;
    const future = { ...energy(900), at: new Date('9999-12-31T23:59:59Z') };
    const [stored] = await Promise.all([writer.write(message(b, [future]))]);
    expect(stored).toMatchObject({ stored: 1, updated: null });
    expect(await valuesOf(b)).toContain(900);
    const now = { ...energy(950), at: new Date() };
    const moved = await writer.write(message(b, [now]));
    expect(moved.updated?.id).toBe(b.session.id);
    const live = await sessionOf(t, b.driver, b.session.id);
    expect(new Date(live.lastMeterAt).getTime()).toBe(now.at.getTime());
  });
});
