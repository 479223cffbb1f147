import fc from 'fast-check';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { liveEvents } from '../factories/live-events';
import {
  aConnectedCharger,
  aPricedStation,
  anActiveSession,
  eventually,
  sessionOf,
} from '../factories/sessions';

type Anomaly = { kind: string; sessionId: string | null; details: Record<string, unknown> };

/**
 * The charger's StopTransaction is the authoritative end of its transaction: a session the central
 * system closed by inference is settled again when it arrives. A boot the central system asked for
 * is no reboot, and a remote start authorizes on a charger that asks first.
 */
describe('sessions closed by inference are corrected by the charger’s stop', () => {
  let t: TestApp;
  let admin: TestAccount;
  const chargers: ChargerSimulator[] = [];
  // 40 per kWh: 2 500 Wh bill 100, 3 000 Wh bill 120.
  const aStationOnline = async (opts: Parameters<typeof aConnectedCharger>[3] = {}) => {
    const station = await aPricedStation(t, admin, { energyPerKwhMinor: 40 });
    const charger = await aConnectedCharger(t, admin, station, opts);
    chargers.push(charger);
    return { station, charger };
  };
  const completed = (who: TestAccount, id: string) =>
    eventually(async () => {
      const s = await sessionOf(t, who, id);
      expect(s.status).toBe('completed');
      return s;
    });
  const anomaliesOf = async (sessionId: string): Promise<Anomaly[]> => {
    const res = await t.http.get('/api/v1/sessions/anomalies?limit=200').set(admin.auth).expect(200);
    return (res.body.items as Anomaly[]).filter((a) => a.sessionId === sessionId).reverse();
  };
  const kinds = (s: { anomalies: { kind: string }[] }) => s.anomalies.map((a) => a.kind);

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  it('re-bills a session a reboot closed when the queued StopTransaction arrives, once, keeping its order number', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const live = await liveEvents(t.wsUrl, admin.token);
    try {
      charger.connectors.get(1)!.meter.setRegister(1_000);
      const session = await anActiveSession(t, user, station, 1);
      await charger.meterValues(1, session.transactionId, 3_500);
      await charger.boot();
      const closed = await completed(user, session.id);
      expect(closed).toMatchObject({ stopReason: 'Reboot', energyWh: 2_500 });
      expect(closed.cost.amountMinor).toBe(100);

      const stoppedAt = new Date(Date.now() + 1_000).toISOString();
      const stop = {
        transactionId: session.transactionId,
        meterStop: 4_000,
        timestamp: stoppedAt,
        reason: 'PowerLoss',
      };
      await charger.call('StopTransaction', stop);
      const corrected = await sessionOf(t, user, session.id);
      expect(corrected).toMatchObject({
        status: 'completed',
        stopReason: 'PowerLoss',
        stoppedAt,
        meterStopWh: 4_000,
        energyWh: 3_000,
        orderNumber: closed.orderNumber,
      });
      expect(corrected.cost.amountMinor).toBe(120);
      expect(kinds(corrected)).toEqual(['station_rebooted', 'stop_corrected']);
      const record = (await anomaliesOf(session.id)).find((a) => a.kind === 'stop_corrected')!;
      expect(record.details).toMatchObject({
        before: { stopReason: 'Reboot', energyWh: 2_500, totalMinor: 100, meterStopWh: 3_500 },
        after: { stopReason: 'PowerLoss', energyWh: 3_000, totalMinor: 120, meterStopWh: 4_000, stoppedAt },
      });
      await eventually(() =>
        expect(
          live.events.some(
            (e) =>
              e.type === 'session.updated' &&
              e.data?.id === session.id &&
              (e.data?.cost as { amountMinor: number } | null)?.amountMinor === 120,
          ),
        ).toBe(true),
      );

      // The retry is answered the same; a second, different stop is kept for review, not billed.
      await charger.call('StopTransaction', stop);
      await charger.call('StopTransaction', { ...stop, meterStop: 9_000 });
      const after = await sessionOf(t, user, session.id);
      expect(after).toMatchObject({ energyWh: 3_000, stopReason: 'PowerLoss' });
      expect(after.cost.amountMinor).toBe(120);
      expect(kinds(after)).toEqual(['station_rebooted', 'stop_corrected', 'stop_after_close']);
    } finally {
      live.ws.close();
    }
  });

  it('corrects a session a newer transaction on its connector superseded', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const other = await aUser(t);
    charger.connectors.get(2)!.meter.setRegister(0);
    const session = await anActiveSession(t, user, station, 2);
    await charger.meterValues(2, session.transactionId, 1_000);
    await charger.call('StartTransaction', {
      connectorId: 2,
      idTag: other.idTag,
      meterStart: 2_500,
      timestamp: new Date().toISOString(),
    });
    const closed = await completed(user, session.id);
    expect(closed).toMatchObject({ stopReason: 'Superseded', energyWh: 1_000 });

    await charger.call('StopTransaction', {
      transactionId: session.transactionId,
      meterStop: 2_500,
      timestamp: new Date().toISOString(),
      reason: 'Other',
    });
    const corrected = await sessionOf(t, user, session.id);
    expect(corrected).toMatchObject({ stopReason: 'Other', energyWh: 2_500 });
    expect(corrected.cost.amountMinor).toBe(100);
    expect(kinds(corrected)).toEqual(['superseded_by_new_transaction', 'stop_corrected']);
  });

  it('bills a corrected session exactly as if the charger’s stop had closed it (property)', async () => {
    const tariff = { energyPerKwhMinor: 40, timePerHourMinor: 120 };
    const [a, b] = [await aPricedStation(t, admin, tariff), await aPricedStation(t, admin, tariff)];
    const [inferred, direct] = [await aConnectedCharger(t, admin, a), await aConnectedCharger(t, admin, b)];
    chargers.push(inferred, direct);
    const [userA, userB] = [await aUser(t), await aUser(t)];
    const activeOn = async (stationId: string) =>
      (await t.http.get(`/api/v1/sessions?stationId=${stationId}&status=active`).set(admin.auth).expect(200))
        .body.items[0];
    const run = async (
      charger: ChargerSimulator,
      idTag: string,
      m: { startedAt: string; stoppedAt: string; meterStart: number; readWh: number; stopWh: number },
      inference?: 'reboot' | 'force',
    ) => {
      const { transactionId } = await charger.startTransaction({
        connectorId: 1,
        idTag,
        meterStart: m.meterStart,
        timestamp: m.startedAt,
      });
      await charger.meterValues(1, transactionId, m.meterStart + m.readWh);
      const { id } = await activeOn(charger === inferred ? a.id : b.id);
      if (inference === 'reboot') await charger.boot();
      if (inference === 'force')
        await t.http
          .post(`/api/v1/sessions/${id}/force-stop`)
          .set(admin.auth)
          .send({ reason: 'test' })
          .expect(200);
      await charger.stopTransaction({
        transactionId,
        meterStop: m.meterStart + m.stopWh,
        timestamp: m.stoppedAt,
        reason: 'PowerLoss',
      });
      return sessionOf(t, admin, id);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'reboot' | 'force'>('reboot', 'force'),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 1, max: 600 }),
        async (inference, meterStart, readWh, moreWh, minutes) => {
          const startedAt = new Date(Date.now() - (minutes + 1) * 60_000);
          const m = {
            startedAt: startedAt.toISOString(),
            stoppedAt: new Date(startedAt.getTime() + minutes * 60_000).toISOString(),
            meterStart,
            readWh,
            stopWh: readWh + moreWh,
          };
          const corrected = await run(inferred, userA.idTag, m, inference);
          const reference = await run(direct, userB.idTag, m);
          expect(corrected).toMatchObject({
            status: 'completed',
            stopReason: 'PowerLoss',
            stoppedAt: m.stoppedAt,
            energyWh: m.stopWh,
            cost: reference.cost,
          });
          expect(reference.energyWh).toBe(m.stopWh);
          expect(kinds(corrected)).toContain('stop_corrected');
        },
      ),
      { numRuns: 8 },
    );
  });

  it('records a stop that confirms the inferred close without changing the bill', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    charger.connectors.get(1)!.meter.setRegister(0);
    const session = await anActiveSession(t, user, station, 1);
    await charger.meterValues(1, session.transactionId, 2_500);
    await charger.boot();
    const closed = await completed(user, session.id);
    await charger.call('StopTransaction', {
      transactionId: session.transactionId,
      meterStop: 2_500,
      timestamp: closed.stoppedAt,
      reason: 'PowerLoss',
    });
    const after = await sessionOf(t, user, session.id);
    expect(after).toMatchObject({ energyWh: 2_500, stoppedAt: closed.stoppedAt, stopReason: 'PowerLoss' });
    expect(after.cost).toEqual(closed.cost);
    expect(kinds(after)).toEqual(['station_rebooted', 'stop_corrected']);
  });

  it('keeps sessions running through a BootNotification the operator asked for, and bills the real stop', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const boots = () => charger.sent.filter((c) => c.action === 'BootNotification' && c.reply).length;
    charger.connectors.get(1)!.meter.setRegister(0);
    const session = await anActiveSession(t, user, station, 1);
    await charger.meterValues(1, session.transactionId, 15);
    const before = boots();
    const res = await t.http
      .post(`/api/v1/stations/${station.id}/commands/trigger-message`)
      .set(admin.auth)
      .send({ requestedMessage: 'BootNotification' })
      .expect(200);
    expect(res.body).toEqual({ status: 'Accepted' });
    await eventually(() => expect(boots()).toBe(before + 1));
    expect(await sessionOf(t, user, session.id)).toMatchObject({ status: 'active', stopReason: null });

    // Still stoppable through the API, and billed on what the charger delivered.
    await charger.meterValues(1, session.transactionId, 162);
    await t.http.post(`/api/v1/sessions/${session.id}/stop`).set(user.auth).expect(200);
    const done = await completed(user, session.id);
    expect(done).toMatchObject({ stopReason: 'Remote', energyWh: 162 });
    expect(kinds(done)).toEqual([]);
  });

  it('treats only the one asked-for boot as no reboot: the next unsolicited boot still closes', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const session = await anActiveSession(t, user, station, 1);
    await t.http
      .post(`/api/v1/stations/${station.id}/commands/trigger-message`)
      .set(admin.auth)
      .send({ requestedMessage: 'BootNotification' })
      .expect(200);
    await charger.waitForSent(
      'BootNotification',
      (c) => c.reply !== undefined && c.at.getTime() > Date.now() - 5_000,
    );
    expect((await sessionOf(t, user, session.id)).status).toBe('active');
    await charger.boot();
    expect(await completed(user, session.id)).toMatchObject({ stopReason: 'Reboot' });
  });

  it('closes on a boot whose TriggerMessage the charger refused', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const session = await anActiveSession(t, user, station, 1);
    charger.respond('TriggerMessage', { status: 'Rejected' });
    await t.http
      .post(`/api/v1/stations/${station.id}/commands/trigger-message`)
      .set(admin.auth)
      .send({ requestedMessage: 'BootNotification' })
      .expect(200);
    await charger.boot();
    expect(await completed(user, session.id)).toMatchObject({ stopReason: 'Reboot' });
  });

  it('starts remotely on a charger with AuthorizeRemoteTxRequests=true: its Authorize of the pending session is Accepted', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    await t.http
      .post(`/api/v1/stations/${station.id}/commands/change-configuration`)
      .set(admin.auth)
      .send({ key: 'AuthorizeRemoteTxRequests', value: 'true' })
      .expect(200);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(201);
    const authorized = await charger.waitForSent('Authorize', (c) => c.params.idTag === user.idTag);
    expect(authorized.reply).toEqual({ idTagInfo: { status: 'Accepted' } });
    await eventually(async () => expect((await sessionOf(t, user, res.body.id)).status).toBe('active'));
  });

  it('still answers ConcurrentTx to another charger authorizing the idTag of a pending remote start', async () => {
    const { station, charger } = await aStationOnline();
    const { charger: elsewhere } = await aStationOnline();
    const user = await aUser(t);
    charger.respond('RemoteStartTransaction', { status: 'Accepted' }); // accepted, never started
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(201);
    expect(res.body.status).toBe('pending');
    expect(await elsewhere.authorize(user.idTag)).toEqual({ idTagInfo: { status: 'ConcurrentTx' } });
    expect(await charger.authorize(user.idTag)).toEqual({ idTagInfo: { status: 'Accepted' } });
  });
});
