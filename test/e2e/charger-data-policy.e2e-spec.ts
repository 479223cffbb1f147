import { eq } from 'drizzle-orm';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { stations } from '../../src/stations/stations.tables';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser, uniqueName } from '../factories/accounts';
import { aConnectedCharger, eventually, sessionOf } from '../factories/sessions';
import { aSite, aStation } from '../factories/stations';

type Conf = { transactionId: number; idTagInfo: { status: string } };
type Line = { kind: string; quantity: number };
type Session = {
  id: string;
  transactionId: number;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
  meterStartWh: number;
  meterStopWh: number | null;
  energyWh: number;
  stopReason: string | null;
  estimatedCost: { amountMinor: number } | null;
  cost: { amountMinor: number; lines: Line[] } | null;
  anomalies: { kind: string }[];
};

const PER_HOUR = 120;
const PER_KWH = 40;
// Time of use in a zone with daylight saving: the pricing that once cut a session at every local
// midnight and window edge, day by day.
const TARIFF = {
  currency: 'EUR',
  energyPerKwhMinor: PER_KWH,
  timePerHourMinor: PER_HOUR,
  sessionFeeMinor: 0,
  idleFeePerMinuteMinor: 0,
  idleGraceMinutes: 0,
  taxRatePercent: 0,
  pricesIncludeTax: false,
  minSessionMinor: null,
  maxSessionMinor: null,
  timeOfUse: [
    { days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', energyPerKwhMinor: 20 },
    { days: [1, 2, 3, 4, 5], start: '17:00', end: '20:00', energyPerKwhMinor: 60 },
  ],
};
const kinds = (s: Session) => s.anomalies.map((a) => a.kind);
const seconds = (s: Session) => s.cost!.lines.find((l) => l.kind === 'time')!.quantity;
const iso = (ms: number) => new Date(ms).toISOString();

describe('implausible charger data is kept as sent, flagged, and billed on what the CSMS believes', () => {
  let t: TestApp;
  let admin: TestAccount;
  const chargers: ChargerSimulator[] = [];

  const aStationOnline = async () => {
    const site = await aSite(t, admin, { timeZone: 'Europe/Berlin' });
    const station = await aStation(t, admin, { siteId: site.id, name: uniqueName('Bay ') });
    await t.http
      .post('/api/v1/tariffs')
      .set(admin.auth)
      .send({ name: uniqueName('Tariff '), stationId: station.id, ...TARIFF })
      .expect(201);
    const charger = await aConnectedCharger(t, admin, station);
    chargers.push(charger);
    return { station, charger };
  };
  const onlySessionOf = async (user: TestAccount): Promise<Session> => {
    const list = await t.http.get('/api/v1/sessions').set(user.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    return sessionOf(t, user, list.body.items[0].id);
  };
  const completed = (who: TestAccount, id: string) =>
    eventually(async () => {
      const s: Session = await sessionOf(t, who, id);
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

  const HOUR = 3_600_000;
  const Y9999 = '9999-12-31T23:59:59.000Z';
  type Frame = (now: number) => Record<string, unknown>;
  const cases: [string, Frame, Frame, string[], number][] = [
    [
      'a start at 1970-01-01 (the clock lost at a power loss), 0 Wh',
      () => ({ timestamp: iso(0) }),
      () => ({}),
      ['implausible_start_time'],
      0,
    ],
    [
      'a start in 9999',
      () => ({ timestamp: Y9999 }),
      () => ({ meterStop: 3_000 }),
      ['implausible_start_time'],
      2_000,
    ],
    [
      'a stop in 9999',
      () => ({}),
      () => ({ timestamp: Y9999, meterStop: 3_000 }),
      ['implausible_stop_time'],
      2_000,
    ],
    [
      'a stop two minutes before its start',
      () => ({}),
      (now) => ({ timestamp: iso(now - 120_000), meterStop: 3_000 }),
      ['stop_before_start'],
      2_000,
    ],
    [
      'meterStart -1',
      () => ({ meterStart: -1 }),
      () => ({ meterStop: 5_000 }),
      ['negative_meter_reading'],
      0,
    ],
    [
      'a meterStop below meterStart (a reset register)',
      () => ({ meterStart: 5_000 }),
      () => ({ meterStop: 4_000 }),
      ['meter_stop_below_start'],
      0,
    ],
    [
      'a meterStop of 2^40 Wh moments after the start (a corrupt register; its bill would not fit an order)',
      () => ({}),
      () => ({ meterStop: 2 ** 40 }),
      ['implausible_energy'],
      0,
    ],
  ];
  it.each(cases)(
    '%s: kept, flagged, billed for at most the seconds it took',
    async (_, start, stop, expectedKinds, energyWh) => {
      const { charger } = await aStationOnline();
      const user = await aUser(t);
      const now = Date.now();
      const startFrame = {
        connectorId: 1,
        idTag: user.idTag,
        meterStart: 1_000,
        timestamp: iso(now),
        ...start(now),
      };
      const started = await charger.call<Conf>('StartTransaction', startFrame);
      const stopFrame = {
        transactionId: started.transactionId,
        meterStop: 1_000,
        timestamp: new Date().toISOString(),
        reason: 'Local',
        ...stop(now),
      };
      await charger.call('StopTransaction', stopFrame);
      const done = await completed(user, (await onlySessionOf(user)).id);

      expect(done).toMatchObject({
        startedAt: new Date(startFrame.timestamp).toISOString(),
        stoppedAt: new Date(stopFrame.timestamp).toISOString(),
        meterStartWh: startFrame.meterStart,
        meterStopWh: stopFrame.meterStop,
        energyWh,
      });
      expect(kinds(done)).toEqual(expectedKinds);
      expect(seconds(done)).toBeLessThan(60);
      // At most 60 per kWh (the dearest window) and 2 for under a minute at 120 an hour.
      expect(done.cost!.amountMinor).toBeLessThanOrEqual(Math.ceil((energyWh * 60) / 1000) + 2);
    },
  );

  it('reads a StopTransaction dated at a leap second (23:59:60) as the next second, instead of failing it', async () => {
    const { charger } = await aStationOnline();
    const user = await aUser(t);
    const started = await charger.call<Conf>('StartTransaction', {
      connectorId: 1,
      idTag: user.idTag,
      meterStart: 0,
      timestamp: new Date().toISOString(),
    });
    await charger.call('StopTransaction', {
      transactionId: started.transactionId,
      meterStop: 0,
      timestamp: '2016-12-31T23:59:60Z',
    });
    const done = await completed(user, (await onlySessionOf(user)).id);
    expect(done.stoppedAt).toBe('2017-01-01T00:00:00.000Z');
    expect(kinds(done)).toEqual(['implausible_stop_time']);
  });

  it('refuses a start in year 0000, which the database cannot store, and settles such a stop when it arrived', async () => {
    const { charger } = await aStationOnline();
    const user = await aUser(t);
    const start = { connectorId: 1, idTag: user.idTag, meterStart: 0 };
    await expect(
      charger.call('StartTransaction', { ...start, timestamp: '0000-01-01T00:00:00Z' }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    const started = await charger.call<Conf>('StartTransaction', {
      ...start,
      timestamp: new Date().toISOString(),
    });
    const before = Date.now();
    await charger.call('StopTransaction', {
      transactionId: started.transactionId,
      meterStop: 0,
      timestamp: '0000-12-31T23:59:59Z',
    });
    const done = await completed(user, (await onlySessionOf(user)).id);
    expect(done.transactionId).toBe(started.transactionId);
    expect(Date.parse(done.stoppedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(done.stoppedAt!)).toBeLessThanOrEqual(Date.now());
  });

  it('records a StatusNotification or MeterValues dated at a leap second or in year 0000 instead of failing it', async () => {
    const { station, charger } = await aStationOnline();
    for (const timestamp of ['2016-12-31T23:59:60Z', '0000-01-01T00:00:00Z']) {
      await expect(
        charger.call('StatusNotification', {
          connectorId: 2,
          errorCode: 'NoError',
          status: 'Unavailable',
          timestamp,
        }),
      ).resolves.toEqual({});
      await expect(
        charger.call('MeterValues', {
          connectorId: 2,
          meterValue: [{ timestamp, sampledValue: [{ value: '10' }] }],
        }),
      ).resolves.toEqual({});
    }
    const seen = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
    expect(seen.body.connectors.find((c: { connectorId: number }) => c.connectorId === 2).status).toBe(
      'Unavailable',
    );
  });

  it('flags meterStart -1 as soon as the StartTransaction arrives and estimates on 0 Wh', async () => {
    const { charger } = await aStationOnline();
    const user = await aUser(t);
    await charger.call<Conf>('StartTransaction', {
      connectorId: 1,
      idTag: user.idTag,
      meterStart: -1,
      timestamp: new Date().toISOString(),
    });
    const active = await onlySessionOf(user);
    expect(active).toMatchObject({ status: 'active', meterStartWh: -1, energyWh: 0 });
    expect(kinds(active)).toEqual(['negative_meter_reading']);
    expect(active.estimatedCost!.amountMinor).toBeLessThanOrEqual(2);
  });

  it('keeps /health answering while a StartTransaction dated 9999 supersedes a live session', async () => {
    const { charger } = await aStationOnline();
    const [first, second] = [await aUser(t), await aUser(t)];
    const live = await charger.call<Conf>('StartTransaction', {
      connectorId: 1,
      idTag: first.idTag,
      meterStart: 1_000,
      timestamp: new Date().toISOString(),
    });
    expect(live.idTagInfo.status).toBe('Accepted');

    let answered = false;
    const superseding = charger
      .call<Conf>('StartTransaction', {
        connectorId: 1,
        idTag: second.idTag,
        meterStart: 2_000,
        timestamp: '9999-12-31T23:59:59Z',
      })
      .finally(() => (answered = true));
    const healthMs: number[] = [];
    do {
      const from = performance.now();
      await t.http.get('/api/v1/health').expect(200);
      healthMs.push(performance.now() - from);
    } while (!answered);
    const conf = await superseding;
    expect(conf.idTagInfo.status).toBe('Accepted');
    expect(Math.max(...healthMs)).toBeLessThan(1_000);

    const superseded = await onlySessionOf(first);
    expect(superseded).toMatchObject({ status: 'completed', stopReason: 'Superseded' });
    expect(kinds(superseded)).toEqual(['implausible_stop_time', 'superseded_by_new_transaction']);
    expect(seconds(superseded)).toBeLessThan(60);

    const from = performance.now();
    const next = await onlySessionOf(second);
    expect(performance.now() - from).toBeLessThan(1_000);
    expect(next).toMatchObject({ status: 'active', startedAt: '9999-12-31T23:59:59.000Z' });
    expect(kinds(next)).toEqual(['implausible_start_time']);
    expect(next.estimatedCost!.amountMinor).toBeLessThanOrEqual(2);
  });

  it('estimates an active session that began 40 years ago over at most SESSION_MAX_SPAN_HOURS, quickly', async () => {
    const { station, charger } = await aStationOnline();
    // A station registered long ago, so that a start in 1986 is believed: no request can
    // backdate a registration, so the row is changed directly.
    await t.app
      .get<symbol, Db>(DB)
      .update(stations)
      .set({ createdAt: new Date('1985-01-01T00:00:00Z') })
      .where(eq(stations.id, station.id));
    const user = await aUser(t);
    await charger.call<Conf>('StartTransaction', {
      connectorId: 1,
      idTag: user.idTag,
      meterStart: 1_000,
      timestamp: '1986-06-01T12:00:00Z',
    });
    const maxSpanHours = t.config.chargerData.maxSpanMs / HOUR;
    for (let read = 0; read < 3; read++) {
      const from = performance.now();
      const active = await onlySessionOf(user);
      expect(performance.now() - from).toBeLessThan(1_000);
      expect(kinds(active)).toEqual([]);
      expect(active.estimatedCost!.amountMinor).toBe(maxSpanHours * PER_HOUR);
    }
  });
});
