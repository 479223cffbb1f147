import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { aChargerPool, aPricedStation, anActiveSession, eventually, sessionOf } from '../factories/sessions';

/** A failed or cancelled session records when it ended: within [from, to], in ms since the epoch. */
const expectStoppedBetween = (session: { stoppedAt: string | null }, from: number, to: number) => {
  expect(session.stoppedAt).toEqual(expect.any(String));
  const at = Date.parse(session.stoppedAt!);
  expect(at).toBeGreaterThanOrEqual(from);
  expect(at).toBeLessThanOrEqual(to);
};

describe('sessions over the open interface', () => {
  let t: TestApp;
  let admin: TestAccount;
  const pool = aChargerPool();
  const aStationOnline = () => pool.aStationOnline(t, admin);

  beforeAll(async () => {
    t = await startApp({ CHARGER_COMMAND_TIMEOUT_MS: '800', SESSION_START_TIMEOUT_SECONDS: '2' });
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    await pool.closeAll();
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
    const before = Date.now();
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(504);
    expect(res.body.code).toBe('CHARGER_TIMEOUT');
    const list = await t.http.get('/api/v1/sessions?status=failed').set(user.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ status: 'failed', failureReason: 'CHARGER_TIMEOUT' });
    expectStoppedBetween(list.body.items[0], before, Date.now());
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
    expectStoppedBetween(failed, Date.parse(res.body.requestedAt), Date.now());
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

  it('cancels a pending session and refuses to stop a finished one', async () => {
    const { station, charger } = await aStationOnline();
    charger.respond('RemoteStartTransaction', { status: 'Accepted' });
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/sessions')
      .set(user.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(201);
    const before = Date.now();
    const cancelled = await t.http.post(`/api/v1/sessions/${res.body.id}/stop`).set(user.auth).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'failed', failureReason: 'CANCELLED' });
    expectStoppedBetween(cancelled.body, before, Date.now());
    const again = await t.http.post(`/api/v1/sessions/${res.body.id}/stop`).set(user.auth).expect(409);
    expect(again.body.code).toBe('SESSION_NOT_ACTIVE');
  });

  it('lets only the holder start on a reserved connector, and uses the reservation up', async () => {
    const { station, charger } = await aStationOnline();
    const [holder, other] = await Promise.all([aUser(t), aUser(t)]);
    const expiryDate = new Date(Date.now() + 600_000).toISOString();
    const reserved = await t.http
      .post(`/api/v1/stations/${station.id}/commands/reserve-now`)
      .set(admin.auth)
      .send({ connectorId: 1, expiryDate, idTag: holder.idTag })
      .expect(200);
    expect(reserved.body.status).toBe('Accepted');
    await eventually(async () => {
      const s = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(s.body.connectors.find((c: { connectorId: number }) => c.connectorId === 1).status).toBe(
        'Reserved',
      );
    });
    const refused = await t.http
      .post('/api/v1/sessions')
      .set(other.auth)
      .send({ stationId: station.id, connectorId: 1 })
      .expect(409);
    expect(refused.body.code).toBe('CONNECTOR_RESERVED');
    const session = await anActiveSession(t, holder, station, 1);
    expect(session.transactionId).toEqual(expect.any(Number));
    await eventually(async () => {
      const list = await t.http
        .get(`/api/v1/reservations?stationId=${station.id}`)
        .set(admin.auth)
        .expect(200);
      expect(list.body.items[0].status).toBe('used');
    });
    expect(charger.connectors.get(1)!.transaction?.idTag).toBe(holder.idTag);
  });
});
