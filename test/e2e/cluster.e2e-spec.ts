import { createRPCError } from 'ocpp-rpc';
import WebSocket from 'ws';
import { ChargerPresenceService } from '../../src/cluster/charger-presence.service';
import { chargerPresence } from '../../src/cluster/cluster.tables';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import { ChargerStateService } from '../../src/stations/charger-state.service';
import { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, freshDatabase, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { LiveMessage, liveEvents } from '../factories/live-events';
import { aStation } from '../factories/chargers';
import { clusterEnv, clusterSkipReason } from '../factories/cluster';
import { aConnectedCharger, aPricedStation, eventually, sessionOf } from '../factories/sessions';
import { Receiver, aReceiver, aWebhook, noMoreAttempts } from '../factories/webhooks';

const skipReason = clusterSkipReason('the cluster suite');
const describeCluster = skipReason ? describe.skip : describe;

const CLUSTER_ENV = {
  ...clusterEnv('cluster'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_POLL_INTERVAL_MS: '100',
  LOGIN_RATE_LIMIT_PER_MINUTE: '4',
  LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE: '1000',
};
describeCluster(
  `two nodes share chargers through NATS and PostgreSQL [postgres only]${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let a: TestApp;
    let b: TestApp;
    let aOpen = true;
    let admin: TestAccount;
    let driver: TestAccount;
    let station: { id: string; chargePointId: string };
    let charger: ChargerSimulator;
    let onB: ChargerSimulator | undefined;
    let receiver: Receiver;
    let live: { ws: WebSocket; events: LiveMessage[] };
    let completedId: string;
    let completedOrder: Record<string, unknown>;

    const ownerOf = (t: TestApp, chargePointId: string) =>
      t.app.get(ChargerPresenceService).ownerOf(chargePointId);
    const getConfiguration = (t: TestApp, stationId: string) =>
      t.http
        .post(`/api/v1/stations/${stationId}/commands/get-configuration`)
        .set(admin.auth)
        .send({ key: ['HeartbeatInterval'] });

    beforeAll(async () => {
      db = await freshDatabase();
      const databaseUrl = db.env.DATABASE_URL;
      a = await startApp({ ...CLUSTER_ENV, NODE_ID: 'a' }, { databaseUrl });
      b = await startApp({ ...CLUSTER_ENV, NODE_ID: 'b' }, { databaseUrl });
      admin = await aDefaultTenantAdmin(a);
      driver = await aUser(b);
      receiver = await aReceiver();
      await aWebhook(b, admin, { url: receiver.url, events: ['session.*'] });
      station = await aPricedStation(a, admin, { energyPerKwhMinor: 30 });
      charger = await aConnectedCharger(a, admin, station);
      live = await liveEvents(b.wsUrl, driver.token);
    }, 60_000);

    afterAll(async () => {
      live?.ws.close();
      await onB?.close().catch(() => undefined);
      await charger?.close().catch(() => undefined);
      await receiver?.close();
      if (aOpen) await a?.close();
      await b?.close();
      await db?.drop();
    }, 30_000);

    it('reports each node ready with its broker and id', async () => {
      expect((await a.http.get('/api/v1/health').expect(200)).body).toMatchObject({
        broker: 'nats',
        nodeId: 'a',
      });
      expect((await b.http.get('/api/v1/health').expect(200)).body).toMatchObject({
        broker: 'nats',
        nodeId: 'b',
      });
    });

    it('knows cluster-wide that node A holds the charger', async () => {
      expect(await ownerOf(b, station.chargePointId)).toBe('a');
      const seen = await b.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(seen.body.online).toBe(true);
    });

    it('runs a command sent through B on the charger held by A and answers with its reply', async () => {
      const res = await getConfiguration(b, station.id).expect(200);
      expect(res.body.configurationKey).toEqual([
        expect.objectContaining({ key: 'HeartbeatInterval', readonly: false }),
      ]);
    });

    it('starts and stops a session through B while the charger is on A, and settles the order', async () => {
      charger.connectors.get(1)!.meter.setRegister(1000);
      const started = await b.http
        .post('/api/v1/sessions')
        .set(driver.auth)
        .send({ stationId: station.id, connectorId: 1 })
        .expect(201);
      const tx = await charger.waitForTransaction(1);
      await eventually(async () =>
        expect((await sessionOf(b, driver, started.body.id)).status).toBe('active'),
      );

      await charger.meterValues(1, tx.transactionId, 11_000);
      await b.http.post(`/api/v1/sessions/${started.body.id}/stop`).set(driver.auth).expect(200);
      await charger.waitForTransactionStopped(tx.transactionId);
      const order = await eventually(async () => {
        const s = await sessionOf(b, driver, started.body.id);
        expect(s.status).toBe('completed');
        return s;
      });
      expect(order).toMatchObject({ energyWh: 10_000, stopReason: 'Remote', cost: { amountMinor: 300 } });
      completedId = started.body.id;
      completedOrder = order;
    });

    it('shows an /events subscriber on B the session events published on A', async () => {
      const types = await eventually(() => {
        const seen = live.events.filter((e) => e.data?.id === completedId).map((e) => e.type);
        expect(seen).toEqual(expect.arrayContaining(['session.started', 'session.completed']));
        return seen;
      });
      expect(types.filter((type) => type === 'session.completed')).toHaveLength(1);
    });

    it('delivers each webhook once although two nodes received the event', async () => {
      await receiver.waitFor(1, 10_000);
      const completedDelivered = () =>
        receiver.requests
          .map((r) => JSON.parse(r.body) as LiveMessage)
          .filter((e) => e.type === 'session.completed' && e.data?.id === completedId);
      await eventually(() => expect(completedDelivered()).toHaveLength(1), 10_000);
      // B had the event (the /events test above); had it queued one too, its request is in by now.
      await Promise.all([noMoreAttempts(a), noMoreAttempts(b)]);
      const ids = receiver.requests.map((r) => (JSON.parse(r.body) as LiveMessage).id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(completedDelivered()).toHaveLength(1);
    });

    it('answers STATION_OFFLINE at once for a charger connected to no node', async () => {
      const idle = await aPricedStation(a, admin);
      const began = Date.now();
      const res = await getConfiguration(b, idle.id).expect(409);
      expect(res.body.code).toBe('STATION_OFFLINE');
      expect(Date.now() - began).toBeLessThan(1000);
    });

    it('refuses an unauthenticated second connection on B while A holds the charger', async () => {
      const intruder = new ChargerSimulator({ url: `${b.wsUrl}/ocpp`, chargePointId: station.chargePointId });
      await expect(intruder.connect()).rejects.toThrow();
      expect(await ownerOf(b, station.chargePointId)).toBe('a');
    });

    it('answers a CALLERROR of the charger on A, through B, as the same CHARGER_ERROR', async () => {
      charger.respond('ClearCache', () => {
        throw createRPCError('NotSupported', 'no cache here');
      });
      const res = await b.http
        .post(`/api/v1/stations/${station.id}/commands/clear-cache`)
        .set(admin.auth)
        .send({})
        .expect(502);
      expect(res.body).toMatchObject({ code: 'CHARGER_ERROR', details: { ocppErrorCode: 'NotSupported' } });
    });

    it('hands an authenticated reconnect on B the charger and closes the stale socket on A', async () => {
      const secured = await aStation(a, { securityProfile: 1 });
      const options = {
        chargePointId: secured.chargePointId,
        password: secured.password,
        meterIntervalMs: 0,
      };
      const first = new ChargerSimulator({ url: `${a.wsUrl}/ocpp`, ...options });
      await first.connect();
      await eventually(async () => expect(await ownerOf(b, secured.chargePointId)).toBe('a'));
      const closed = new Promise<{ code: number }>((resolve) => first.once('close', resolve));

      const second = new ChargerSimulator({ url: `${b.wsUrl}/ocpp`, ...options });
      await second.connect();
      expect((await closed).code).toBe(4000);
      await eventually(async () => expect(await ownerOf(a, secured.chargePointId)).toBe('b'));
      await getConfiguration(a, secured.id).expect(200);

      await second.close();
      await eventually(async () => expect(await ownerOf(a, secured.chargePointId)).toBeNull());
      await getConfiguration(a, secured.id).expect(409);
    });

    it('expires the presence of a node that died silently and marks its chargers offline', async () => {
      const orphan = await aPricedStation(a, admin);
      await a.app.get(ChargerStateService).markOnline(orphan.id, new Date(), 'ocpp1.6');
      const now = new Date();
      await a.app.get<Db>(DB).insert(chargerPresence).values({
        chargePointId: orphan.chargePointId,
        stationId: orphan.id,
        nodeId: 'gone',
        connectedAt: now,
        heartbeatAt: now,
      });
      expect(await ownerOf(b, orphan.chargePointId)).toBe('gone');
      // Nobody answers for it on the broker: offline at once, whatever the stale row says.
      await getConfiguration(b, orphan.id).expect(409);

      await eventually(async () => {
        expect(await ownerOf(b, orphan.chargePointId)).toBeNull();
        const seen = await b.http.get(`/api/v1/stations/${orphan.id}`).set(admin.auth).expect(200);
        expect(seen.body.online).toBe(false);
      }, 6000);
    });

    it('counts login attempts for one account across both nodes', async () => {
      const victim = await aUser(a);
      const tryLogin = (t: TestApp) =>
        t.http.post('/api/v1/auth/login').send({ username: victim.username, password: 'wrong-password-123' });
      for (const node of [a, b, a, b]) expect((await tryLogin(node)).status).toBe(401);
      const refused = await tryLogin(b);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
    });

    it('survives the loss of A: the charger reconnects to B, which then holds it, and nothing is lost', async () => {
      const started = await b.http
        .post('/api/v1/sessions')
        .set(driver.auth)
        .send({ stationId: station.id, connectorId: 2 })
        .expect(201);
      const tx = await charger.waitForTransaction(2);
      await eventually(async () =>
        expect((await sessionOf(b, driver, started.body.id)).status).toBe('active'),
      );

      await a.close();
      aOpen = false;
      // A reconnect, not a reboot: a charger that lost its socket sends no BootNotification.
      onB = new ChargerSimulator({
        url: `${b.wsUrl}/ocpp`,
        chargePointId: station.chargePointId,
        meterIntervalMs: 0,
      });
      await onB.connect();
      await onB.announceStatuses();
      await eventually(async () => expect(await ownerOf(b, station.chargePointId)).toBe('b'));
      const seen = await b.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(seen.body.online).toBe(true);
      await getConfiguration(b, station.id).expect(200);

      // The transaction begun while A held the socket goes on and ends through B.
      await onB.meterValues(2, tx.transactionId, 5_000);
      await onB.stopTransaction({ transactionId: tx.transactionId, meterStop: 6_000, reason: 'Local' });
      const failedOver = await eventually(async () => {
        const s = await sessionOf(b, driver, started.body.id);
        expect(s.status).toBe('completed');
        return s;
      });
      expect(failedOver).toMatchObject({
        transactionId: tx.transactionId,
        energyWh: 6_000 - tx.meterStartWh,
      });
      expect(await sessionOf(b, driver, completedId)).toEqual(completedOrder);
    });
  },
);
