import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser, uniqueName } from '../factories/accounts';
import {
  aConnectedCharger,
  aPricedStation,
  anActiveSession,
  eventually,
  sessionOf,
} from '../factories/sessions';

describe('sessions over the open interface', () => {
  let t: TestApp;
  let admin: TestAccount;
  const chargers: ChargerSimulator[] = [];
  const aStationOnline = async () => {
    const station = await aPricedStation(t, admin);
    const charger = await aConnectedCharger(t, admin, station);
    chargers.push(charger);
    return { station, charger };
  };

  beforeAll(async () => {
    t = await startApp({ CHARGER_COMMAND_TIMEOUT_MS: '800', SESSION_START_TIMEOUT_SECONDS: '2' });
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  it('requires credentials', async () => {
    const res = await t.http
      .post('/api/v1/sessions')
      .send({ chargePointId: 'CP1', connectorId: 1 })
      .expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('names the missing target fields', async () => {
    const user = await aUser(t);
    const res = await t.http.post('/api/v1/sessions').set(user.auth).send({ connectorId: 1 }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields[0].field).toBe('stationId');
    const qr = await t.http.post('/api/v1/sessions').set(user.auth).send({ qr: 'http://x' }).expect(400);
    expect(qr.body.details.fields[0].field).toBe('qr');
  });

  it('answers a retried request with the same Idempotency-Key with the first answer, starting once', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const send = () =>
      t.http
        .post('/api/v1/sessions')
        .set(user.auth)
        .set('Idempotency-Key', 'start-once-123')
        .send({ stationId: station.id, connectorId: 1 });
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(again.body.id).toBe(first.body.id);
    await charger.waitForTransaction(1);
    expect(charger.received.filter((c) => c.action === 'RemoteStartTransaction')).toHaveLength(1);
    const list = await t.http.get('/api/v1/sessions').set(user.auth).expect(200);
    expect(list.body.items).toHaveLength(1);

    const other = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .set('Idempotency-Key', 'start-once-123')
      .send({ stationId: station.id, connectorId: 2 })
      .expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets exactly one of two users racing for one connector win', async () => {
    const { station } = await aStationOnline();
    const [a, b] = await Promise.all([aUser(t), aUser(t)]);
    const results = await Promise.all(
      [a, b].map((u) =>
        t.http.post('/api/v1/sessions').set(u.auth).send({ stationId: station.id, connectorId: 1 }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    expect(['CONNECTOR_BUSY', 'CONNECTOR_UNAVAILABLE']).toContain(
      results.find((r) => r.status === 409)!.body.code,
    );
  });

  it('refuses a second session for an idTag that is already charging', async () => {
    const { station } = await aStationOnline();
    const user = await aUser(t);
    await anActiveSession(t, user, station, 1);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 2 })
      .expect(409);
    expect(res.body.code).toBe('ALREADY_CHARGING');
  });

  it('answers 504 CHARGER_TIMEOUT when the charger stays silent, and the session is failed', async () => {
    const { station, charger } = await aStationOnline();
    charger.respond('RemoteStartTransaction', 'silent');
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(504);
    expect(res.body.code).toBe('CHARGER_TIMEOUT');
    const list = await t.http.get('/api/v1/sessions?status=failed').set(user.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ status: 'failed', failureReason: 'CHARGER_TIMEOUT' });
    // The connector is free again.
    charger.respond('RemoteStartTransaction', 'default');
    await anActiveSession(t, user, station, 1);
  });

  it('answers 409 CHARGER_REJECTED when the charger refuses; the seed route answers Rejected', async () => {
    const { station, charger } = await aStationOnline();
    charger.respond('RemoteStartTransaction', { status: 'Rejected' });
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(409);
    expect(res.body.code).toBe('CHARGER_REJECTED');
    const seed = await t.http
      .post('/api/start_charging')
      .set(user.auth)
      .send({ evse_id: station.chargePointId, connector_id: 1 })
      .expect(200);
    expect(seed.body).toEqual({ status: 'Rejected' });
  });

  it('answers 409 STATION_OFFLINE for a station with no charger connected', async () => {
    const station = await aPricedStation(t, admin);
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(409);
    expect(res.body.code).toBe('STATION_OFFLINE');
    const seed = await t.http
      .post('/api/start_charging')
      .set(user.auth)
      .send({ evse_id: station.chargePointId, connector_id: 1 })
      .expect(409);
    expect(seed.body.code).toBe('STATION_OFFLINE');
  });

  it('fails a pending session the charger never starts', async () => {
    const { station, charger } = await aStationOnline();
    charger.respond('RemoteStartTransaction', { status: 'Accepted' });
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(201);
    expect(res.body.status).toBe('pending');
    const failed = await eventually(async () => {
      const s = await sessionOf(t, user, res.body.id);
      expect(s.status).toBe('failed');
      return s;
    }, 8000);
    expect(failed.failureReason).toBe('START_TIMEOUT');
  });

  it('starts and stops through the seed-compatible routes', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const start = await t.http
      .post('/api/start_charging')
      .set(user.auth)
      .send({ evse_id: station.chargePointId, connector_id: 2 })
      .expect(200);
    expect(start.body).toEqual({ status: 'Accepted' });
    const tx = await charger.waitForTransaction(2);
    expect(tx.idTag).toBe(user.idTag);
    await eventually(async () => {
      const list = await t.http.get('/api/v1/sessions?status=active').set(user.auth).expect(200);
      expect(list.body.items).toHaveLength(1);
    });
    const stop = await t.http
      .post('/api/stop_charging')
      .set(user.auth)
      .send({ evse_id: station.chargePointId, connector_id: 2 })
      .expect(200);
    expect(stop.body).toEqual({ status: 'Accepted' });
    await charger.waitForTransactionStopped(tx.transactionId);
    const list = await t.http.get('/api/v1/sessions').set(user.auth).expect(200);
    expect(list.body.items[0]).toMatchObject({ status: 'completed', stopReason: 'Remote' });
  });

  it('shows users only their own sessions, admins the tenant, another tenant nothing', async () => {
    const { station } = await aStationOnline();
    const [owner, stranger] = await Promise.all([aUser(t), aUser(t)]);
    const session = await anActiveSession(t, owner, station, 1);
    await t.http.get(`/api/v1/sessions/${session.id}`).set(stranger.auth).expect(404);
    await t.http.post(`/api/v1/sessions/${session.id}/stop`).set(stranger.auth).expect(404);
    const strangers = await t.http.get('/api/v1/sessions').set(stranger.auth).expect(200);
    expect(strangers.body.items).toEqual([]);

    const byAdmin = await t.http.get(`/api/v1/sessions?stationId=${station.id}`).set(admin.auth).expect(200);
    expect(byAdmin.body.items.map((s: { id: string }) => s.id)).toContain(session.id);

    const other = await aTenantWithAdmin(t);
    await t.http.get(`/api/v1/sessions/${session.id}`).set(other.admin.auth).expect(404);
    await t.http.post(`/api/v1/sessions/${session.id}/stop`).set(other.admin.auth).expect(404);
    await t.http
      .post('/api/v1/sessions')
      .set(other.admin.auth)
      .send({ stationId: station.id, connectorId: 2 })
      .expect(404);
    const foreign = await t.http.get('/api/v1/sessions').set(other.admin.auth).expect(200);
    expect(foreign.body.items).toEqual([]);
  });

  it('pages through sessions with a cursor and filters by status', async () => {
    const user = await aUser(t);
    const { station, charger } = await aStationOnline();
    for (const connectorId of [1, 2]) {
      const s = await anActiveSession(t, user, station, connectorId);
      await charger.stopCharging(connectorId);
      await eventually(async () => expect((await sessionOf(t, user, s.id)).status).toBe('completed'));
    }
    await anActiveSession(t, user, station, 1);
    const first = await t.http.get('/api/v1/sessions?limit=2').set(user.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get(`/api/v1/sessions?limit=2&cursor=${first.body.nextCursor}`)
      .set(user.auth)
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const completed = await t.http.get('/api/v1/sessions?status=completed').set(user.auth).expect(200);
    expect(completed.body.items).toHaveLength(2);
  });

  it('exports CSV for admins only', async () => {
    const user = await aUser(t);
    const { station } = await aStationOnline();
    const session = await anActiveSession(t, user, station, 1);
    const csv = await t.http
      .get(`/api/v1/sessions?format=csv&stationId=${station.id}`)
      .set(admin.auth)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,orderNumber,status,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(session.id);
    const viaAccept = await t.http
      .get('/api/v1/sessions')
      .set(admin.auth)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(viaAccept.text).toContain(session.id);
    const refused = await t.http.get('/api/v1/sessions?format=csv').set(user.auth).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('cancels a pending session and refuses to stop a finished one', async () => {
    const { station, charger } = await aStationOnline();
    charger.respond('RemoteStartTransaction', { status: 'Accepted' });
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(201);
    const cancelled = await t.http.post(`/api/v1/sessions/${res.body.id}/stop`).set(user.auth).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'failed', failureReason: 'CANCELLED' });
    const again = await t.http.post(`/api/v1/sessions/${res.body.id}/stop`).set(user.auth).expect(409);
    expect(again.body.code).toBe('SESSION_NOT_ACTIVE');
  });

  it('honours API-key scopes: read may not charge, charge starts with a named idTag, admin sets payment', async () => {
    const { station, charger } = await aStationOnline();
    const user = await aUser(t);
    const keyWith = async (scopes: string[]) => {
      const res = await t.http
        .post('/api/v1/api-keys')
        .set(admin.auth)
        .send({ name: uniqueName('key'), scopes })
        .expect(201);
      return { 'X-API-Key': res.body.key as string };
    };
    const [reader, charging, operator] = [
      await keyWith(['read']),
      await keyWith(['charge']),
      await keyWith(['admin']),
    ];
    const body = { stationId: station.id, connectorId: 1, idTag: user.idTag };
    const refused = await t.http.post('/api/v1/sessions').set(reader).send(body).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const noTag = await t.http
      .post('/api/v1/sessions')
      .set(charging)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(400);
    expect(noTag.body.details.fields[0].field).toBe('idTag');

    const started = await t.http.post('/api/v1/sessions').set(charging).send(body).expect(201);
    expect(started.body).toMatchObject({ idTag: user.idTag, userId: user.userId });
    await charger.waitForTransaction(1);
    await charger.stopCharging(1);
    await eventually(async () =>
      expect((await sessionOf(t, user, started.body.id)).status).toBe('completed'),
    );

    const patch = (who: Record<string, string>) =>
      t.http.patch(`/api/v1/sessions/${started.body.id}`).set(who).send({ paymentStatus: 'paid' });
    await patch(charging).expect(403);
    const paid = await patch(operator).expect(200);
    expect(paid.body.paymentStatus).toBe('paid');
  });
});
