import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { aConnectedCharger, aPricedStation, anActiveSession, sessionOf } from '../factories/sessions';

const CHARGERS = 8;
const ROUNDS = 4;

interface Bay {
  charger: ChargerSimulator;
  driver: TestAccount;
  session: { id: string; transactionId: number };
}

/** MeterValues from many chargers at once are written in shared transactions (group commit). */
describe('MeterValues from many chargers at once', () => {
  let t: TestApp;
  let admin: TestAccount;
  let bays: Bay[];

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
    bays = [];
    for (let i = 0; i < CHARGERS; i++) {
      const station = await aPricedStation(t, admin);
      const charger = await aConnectedCharger(t, admin, station);
      const driver = await aUser(t);
      bays.push({ charger, driver, session: await anActiveSession(t, driver, station) });
    }
  });
  afterAll(async () => {
    await Promise.all(bays.map((b) => b.charger.close()));
    await t.close();
  });

  const readingsOf = async (b: Bay) =>
    (await t.http.get(`/api/v1/sessions/${b.session.id}/meter-values`).set(b.driver.auth).expect(200))
      .body as { measurand: string; value: number }[];

  it('stores every sampled value of every charger before answering, and moves each live view on', async () => {
    // Every charger sends its rounds back to back, all chargers at the same time.
    await Promise.all(
      bays.map(async (b, i) => {
        for (let r = 1; r <= ROUNDS; r++)
          await b.charger.meterValues(1, b.session.transactionId, [
            { value: String(1000 * i + r), unit: 'Wh', measurand: 'Energy.Active.Import.Register' },
            { value: String(r), unit: 'kW', measurand: 'Power.Active.Import' },
            { value: String(10 * r), unit: 'Percent', measurand: 'SoC' },
          ]);
      }),
    );
    for (const [i, b] of bays.entries()) {
      // Each answer came after its commit: the rows are there the moment the calls resolved.
      const rows = await readingsOf(b);
      expect(rows).toHaveLength(ROUNDS * 3);
      expect(rows.filter((r) => r.measurand === 'Energy.Active.Import.Register').map((r) => r.value)).toEqual(
        Array.from({ length: ROUNDS }, (_, r) => 1000 * i + r + 1),
      );
      const live = await sessionOf(t, b.driver, b.session.id);
      expect(live).toMatchObject({ powerW: ROUNDS * 1000, socPercent: ROUNDS * 10 });
    }
  });

  it("finds the connector's live session when the charger sends no transaction id", async () => {
    const b = bays[0];
    const before = (await readingsOf(b)).length;
    await b.charger.call('MeterValues', {
      connectorId: 1,
      meterValue: [
        {
          timestamp: new Date().toISOString(),
          sampledValue: [{ value: '231', measurand: 'Voltage', unit: 'V' }],
        },
      ],
    });
    const rows = await readingsOf(b);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ measurand: 'Voltage', value: 231 });
  });

  it("never files readings under another station's transaction", async () => {
    const [mine, theirs] = bays;
    const before = (await readingsOf(theirs)).length;
    // Acknowledged (the charger must not retry forever), stored nowhere.
    await expect(mine.charger.meterValues(2, theirs.session.transactionId, 99_999)).resolves.toEqual({});
    expect(await readingsOf(theirs)).toHaveLength(before);
    expect((await sessionOf(t, theirs.driver, theirs.session.id)).energyWh).not.toBe(99_999);
  });

  it('skips a reading no meter can produce and stores the rest of the message', async () => {
    const b = bays[1];
    const before = (await readingsOf(b)).length;
    await b.charger.meterValues(1, b.session.transactionId, [
      { value: '1e19', unit: 'kWh', measurand: 'Energy.Active.Import.Register' },
      { value: '230', unit: 'V', measurand: 'Voltage' },
    ]);
    const rows = await readingsOf(b);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ measurand: 'Voltage', value: 230 });
  });
});
