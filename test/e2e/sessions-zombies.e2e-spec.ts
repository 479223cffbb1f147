import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { ZombieSessionsService } from '../../src/sessions/zombie-sessions.service';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser, anApiKey } from '../factories/accounts';
import { liveEvents } from '../factories/live-events';
import {
  aConnectedCharger,
  aPricedStation,
  anActiveSession,
  eventually,
  sessionOf,
} from '../factories/sessions';

const HOUR_MS = 3_600_000;
const kinds = (s: { anomalies: { kind: string }[] }) => s.anomalies.map((a) => a.kind);

/** Sessions a charger never ends: an operator's soft stop, and the reconciler that flags them. */
describe('zombie sessions', () => {
  let t: TestApp;
  let admin: TestAccount;
  let zombies: ZombieSessionsService;
  const chargers: ChargerSimulator[] = [];
  // 40 per kWh: 2 500 Wh bill 100, 3 000 Wh bill 120.
  const aStationOnline = async () => {
    const station = await aPricedStation(t, admin, { energyPerKwhMinor: 40 });
    const charger = await aConnectedCharger(t, admin, station);
    chargers.push(charger);
    return { station, charger };
  };
  const forceStop = (id: string, body: object = { reason: 'Charger replaced' }) =>
    t.http.post(`/api/v1/sessions/${id}/force-stop`).send(body);

  beforeAll(async () => {
    t = await startApp({ SESSION_STALE_AFTER_HOURS: '2', SESSION_AVAILABLE_GRACE_SECONDS: '60' });
    admin = await aDefaultTenantAdmin(t);
    zombies = t.app.get(ZombieSessionsService);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  describe('POST /sessions/{id}/force-stop', () => {
    it('closes an active session without the charger, billed on its last reading, with the reason recorded', async () => {
      const { station, charger } = await aStationOnline();
      const user = await aUser(t);
      const live = await liveEvents(t.wsUrl, admin.token);
      try {
        charger.connectors.get(1)!.meter.setRegister(1_000);
        const session = await anActiveSession(t, user, station, 1);
        await charger.meterValues(1, session.transactionId, 3_500);
        const readingAt = (await sessionOf(t, admin, session.id)).lastMeterAt;

        const res = await forceStop(session.id, { reason: 'Charger replaced' }).set(admin.auth).expect(200);
        expect(res.body).toMatchObject({
          status: 'completed',
          stopReason: 'ForceStopped',
          stoppedAt: readingAt,
          energyWh: 2_500,
          cost: { amountMinor: 100 },
        });
        expect(res.body.orderNumber).toMatch(/^KW-/);
        expect(kinds(res.body)).toEqual(['force_stopped']);
        const anomalies = await t.http.get('/api/v1/sessions/anomalies').set(admin.auth).expect(200);
        expect(
          anomalies.body.items.find((a: { sessionId: string }) => a.sessionId === session.id),
        ).toMatchObject({
          kind: 'force_stopped',
          details: { reason: 'Charger replaced', actorRole: 'admin', actorUserId: admin.userId },
        });
        expect(charger.received.some((c) => c.action === 'RemoteStopTransaction')).toBe(false);
        await eventually(() =>
          expect(live.events.some((e) => e.type === 'session.completed' && e.data?.id === session.id)).toBe(
            true,
          ),
        );
        await forceStop(session.id).set(admin.auth).expect(409);
      } finally {
        live.ws.close();
      }
    });

    it("is corrected when the charger's StopTransaction arrives after all", async () => {
      const { station, charger } = await aStationOnline();
      const user = await aUser(t);
      charger.connectors.get(2)!.meter.setRegister(0);
      const session = await anActiveSession(t, user, station, 2);
      await charger.meterValues(2, session.transactionId, 2_500);
      const closed = (await forceStop(session.id).set(admin.auth).expect(200)).body;
      expect(closed.cost.amountMinor).toBe(100);

      await charger.stopCharging(2, 'EVDisconnected');
      const corrected = await sessionOf(t, user, session.id);
      expect(corrected).toMatchObject({
        stopReason: 'EVDisconnected',
        energyWh: 2_500,
        orderNumber: closed.orderNumber,
      });
      expect(kinds(corrected)).toEqual(['force_stopped', 'stop_corrected']);
    });

    it('refuses users and read/charge API keys, hides other tenants, and names a bad reason', async () => {
      const { station } = await aStationOnline();
      const user = await aUser(t);
      const session = await anActiveSession(t, user, station, 1);
      await forceStop(session.id).expect(401);
      await forceStop(session.id).set(user.auth).expect(403);
      const chargeKey = await anApiKey(t, admin, ['charge']);
      await forceStop(session.id).set(chargeKey.header).expect(403);
      const foreign = await aTenantWithAdmin(t);
      const hidden = await forceStop(session.id).set(foreign.admin.auth).expect(404);
      expect(hidden.body.code).toBe('NOT_FOUND');
      for (const body of [
        {},
        { reason: '' },
        { reason: 'a\u0000b' },
        { reason: 'x'.repeat(501) },
        { reason: 7 },
      ]) {
        const res = await forceStop(session.id, body).set(admin.auth).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
      }
      expect((await sessionOf(t, user, session.id)).status).toBe('active');
    });
  });

  describe('the reconciler', () => {
    it('flags, once and without closing, a session open past SESSION_STALE_AFTER_HOURS', async () => {
      const { station } = await aStationOnline();
      const user = await aUser(t);
      const live = await liveEvents(t.wsUrl, admin.token);
      try {
        const session = await anActiveSession(t, user, station, 1);
        const now = Date.now();
        await zombies.reconcile(new Date(now + HOUR_MS));
        expect(kinds(await sessionOf(t, user, session.id))).toEqual([]);

        await zombies.reconcile(new Date(now + 2 * HOUR_MS + 60_000));
        await zombies.reconcile(new Date(now + 3 * HOUR_MS));
        const flagged = await sessionOf(t, user, session.id);
        expect(flagged.status).toBe('active');
        expect(kinds(flagged).filter((k) => k === 'session_stale')).toHaveLength(1);
        await eventually(() =>
          expect(
            live.events.some(
              (e) =>
                e.type === 'session.updated' &&
                e.data?.id === session.id &&
                (e.data?.anomalies as { kind: string }[]).some((a) => a.kind === 'session_stale'),
            ),
          ).toBe(true),
        );
      } finally {
        live.ws.close();
      }
    });

    it('flags a session whose connector reports Available past the grace, not one still Charging', async () => {
      const { station, charger } = await aStationOnline();
      const user = await aUser(t);
      const zombie = await anActiveSession(t, user, station, 1);
      const charging = await anActiveSession(t, await aUser(t), station, 2);
      const reportedAt = Date.now();
      await charger.statusNotification(1, 'Available');

      await zombies.reconcile(new Date(reportedAt + 30_000));
      expect(kinds(await sessionOf(t, admin, zombie.id))).toEqual([]);
      await zombies.reconcile(new Date(reportedAt + 61_000));
      await zombies.reconcile(new Date(reportedAt + 120_000));
      const flagged = await sessionOf(t, admin, zombie.id);
      expect(flagged.status).toBe('active');
      expect(kinds(flagged)).toEqual(['connector_available']);
      expect(kinds(await sessionOf(t, admin, charging.id))).toEqual([]);
    });
  });
});
