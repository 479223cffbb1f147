import type { TestApp } from '../app';
import { uniqueName, type TestAccount } from './accounts';
import { eventually } from './chargers';
import { ChargerSimulator, type ChargerSimulatorOptions } from '../../src/simulator/charger-simulator';

type Body = Record<string, unknown>;

let seq = 0;
export { eventually };

const aChargePointId = () => `CPS${Date.now().toString(36).toUpperCase()}${(seq++).toString(36)}`;

/** A station registered over HTTP by an admin, with a tariff of its own (defaults: 30 per kWh). */
export async function aPricedStation(
  t: TestApp,
  admin: TestAccount,
  tariff: Body = {},
): Promise<{ id: string; chargePointId: string; tariffId: string }> {
  const station = await t.http
    .post('/api/v1/stations')
    .set(admin.auth)
    .send({ chargePointId: aChargePointId(), name: uniqueName('Bay ') })
    .expect(201);
  const created = await t.http
    .post('/api/v1/tariffs')
    .set(admin.auth)
    .send({
      name: uniqueName('Tariff '),
      currency: 'EUR',
      energyPerKwhMinor: 30,
      timePerHourMinor: 0,
      sessionFeeMinor: 0,
      idleFeePerMinuteMinor: 0,
      idleGraceMinutes: 0,
      taxRatePercent: 0,
      pricesIncludeTax: false,
      minSessionMinor: null,
      maxSessionMinor: null,
      timeOfUse: [],
      stationId: station.body.id,
      ...tariff,
    });
  if (created.status !== 201) throw new Error(`tariff not created: ${JSON.stringify(created.body)}`);
  return { id: station.body.id, chargePointId: station.body.chargePointId, tariffId: created.body.id };
}

/**
 * The simulated charger of a station, connected over a real socket, booted, with every
 * connector reported Available. No periodic meter values and no power unless asked, so the
 * energy a test reports is exactly the energy billed.
 */
export async function aConnectedCharger(
  t: TestApp,
  admin: TestAccount,
  station: { id: string; chargePointId: string },
  opts: Partial<ChargerSimulatorOptions> = {},
): Promise<ChargerSimulator> {
  const charger = new ChargerSimulator({
    url: `${t.wsUrl}/ocpp`,
    chargePointId: station.chargePointId,
    meterIntervalMs: 0,
    powerW: 0,
    callTimeoutMs: 5000,
    connectors: 2,
    ...opts,
  });
  await charger.connect();
  await charger.boot();
  await charger.announceStatuses();
  await eventually(async () => {
    const res = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
    if (!res.body.online || res.body.connectors.length === 0) throw new Error('charger not ready yet');
  });
  return charger;
}

/**
 * Priced stations with a connected charger each, for a suite that makes many: `closeAll()` in
 * afterAll closes every charger it made.
 */
export function aChargerPool() {
  const chargers: ChargerSimulator[] = [];
  return {
    async aStationOnline(t: TestApp, admin: TestAccount) {
      const station = await aPricedStation(t, admin);
      const charger = await aConnectedCharger(t, admin, station);
      chargers.push(charger);
      return { station, charger };
    },
    async closeAll() {
      for (const c of chargers.splice(0)) await c.close();
    },
  };
}

/** Starts a session over the open interface and waits until the charger's StartTransaction made it active. */
export async function anActiveSession(
  t: TestApp,
  user: TestAccount,
  station: { id: string },
  connectorId = 1,
): Promise<Body & { id: string; transactionId: number }> {
  const res = await t.http
    .post('/api/v1/sessions')
    .set(user.auth)
    .send({ stationId: station.id, connectorId })
    .expect(201);
  return eventually(async () => {
    const s = await t.http.get(`/api/v1/sessions/${res.body.id}`).set(user.auth).expect(200);
    if (s.body.status !== 'active') throw new Error(`session is ${s.body.status}`);
    return s.body;
  });
}

export const sessionOf = async (t: TestApp, who: TestAccount, id: string) =>
  (await t.http.get(`/api/v1/sessions/${id}`).set(who.auth).expect(200)).body;
