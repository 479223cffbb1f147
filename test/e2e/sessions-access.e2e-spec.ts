import { TestApp, startApp } from '../app';
import {
  TestAccount,
  aDefaultTenantAdmin,
  aTenantWithAdmin,
  aUser,
  theRoot,
  uniqueName,
} from '../factories/accounts';
import { aChargerPool, anActiveSession, eventually, sessionOf } from '../factories/sessions';

describe('sessions: who sees what, paging, CSV, API keys', () => {
  let t: TestApp;
  let admin: TestAccount;
  const pool = aChargerPool();
  const aStationOnline = () => pool.aStationOnline(t, admin);

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    await pool.closeAll();
    await t.close();
  });

  it('publishes the session routes in Swagger', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    for (const path of [
      '/api/v1/sessions',
      '/api/v1/sessions/{id}',
      '/api/v1/sessions/{id}/stop',
      '/api/start_charging',
      '/api/stop_charging',
    ]) {
      expect(doc.body.paths[path]).toBeDefined();
    }
    expect(doc.body.paths['/api/v1/sessions'].post.responses['504']).toBeDefined();
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

  it("keeps each reader's filter when the same lookups run for root, an admin and a user", async () => {
    // The point lookups are prepared statements, one per filter combination: a read by root
    // (no tenant filter) must not widen what a foreign admin or another user then reads, and a
    // tenant-scoped read must not narrow what root reads.
    const { station } = await aStationOnline();
    const [owner, stranger] = await Promise.all([aUser(t), aUser(t)]);
    const session = await anActiveSession(t, owner, station, 1);
    const root = await theRoot(t);
    const other = await aTenantWithAdmin(t);
    for (let round = 0; round < 2; round++) {
      await t.http.get(`/api/v1/sessions/${session.id}`).set(root.auth).expect(200);
      await t.http.get(`/api/v1/stations/${station.id}`).set(root.auth).expect(200);
      await t.http.get(`/api/v1/sessions/${session.id}`).set(other.admin.auth).expect(404);
      await t.http.get(`/api/v1/stations/${station.id}`).set(other.admin.auth).expect(404);
      await t.http.post(`/api/v1/sessions/${session.id}/stop`).set(other.admin.auth).expect(404);
      await t.http.get(`/api/v1/sessions/${session.id}`).set(stranger.auth).expect(404);
      const own = await t.http.get(`/api/v1/sessions/${session.id}`).set(owner.auth).expect(200);
      expect(own.body.id).toBe(session.id);
      await t.http.get(`/api/v1/sessions/${session.id}`).set(admin.auth).expect(200);
    }
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

    const byUser = await t.http.get(`/api/v1/sessions?userId=${user.userId}`).set(admin.auth).expect(200);
    expect(byUser.body.items).toHaveLength(3);
    expect(new Set(byUser.body.items.map((i: { userId: string }) => i.userId))).toEqual(
      new Set([user.userId]),
    );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await t.http
      .get(`/api/v1/sessions?userId=${user.userId}&from=${future}`)
      .set(admin.auth)
      .expect(200);
    expect(none.body.items).toEqual([]);
    const past = await t.http
      .get(`/api/v1/sessions?userId=${user.userId}&to=${future}`)
      .set(admin.auth)
      .expect(200);
    expect(past.body.items).toHaveLength(3);
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
