import { ReservationsService } from '../../src/commands/reservations.service';
import { DomainError } from '../../src/common/domain-error';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TenantsService } from '../../src/tenants/tenants.service';
import { TestApp, startApp } from '../app';
import {
  TestAccount,
  aDefaultTenantAdmin,
  aTenantWithAdmin,
  aUser,
  anApiKey,
  theRoot,
} from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe('Reservations: ReserveNow / CancelReservation, user reservations, expiry, start blocking', () => {
  let t: TestApp;
  let admin: TestAccount;
  let tenantId: string;
  let station: CommandStation;
  let charger: ChargerSimulator;
  let reservations: ReservationsService;

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '400', RESERVATION_SWEEP_SECONDS: '1' });
    admin = await aDefaultTenantAdmin(t);
    tenantId = (await t.app.get(TenantsService).ensureDefaultTenant()).id;
    station = await aRegisteredStation(t, admin);
    charger = await aConnectedCharger(t, station);
    reservations = t.app.get(ReservationsService);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  const reserve = (body: object) =>
    t.http.post(commandUrl(station, 'reserve-now')).set(admin.auth).send(body);
  const list = async (who: TestAccount = admin) =>
    (await t.http.get(`/api/v1/reservations?stationId=${station.id}`).set(who.auth).expect(200)).body.items;
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => (e as DomainError).code,
    );

  it('reserves a connector on the charger and blocks other idTags from starting there', async () => {
    const res = await reserve({ connectorId: 1, expiryDate: inMinutes(10), idTag: 'HOLDER01' }).expect(200);
    expect(res.body).toEqual({
      status: 'Accepted',
      reservationId: expect.any(Number),
      id: expect.any(String),
    });
    const sent = await charger.waitFor('ReserveNow');
    expect(sent).toMatchObject({ connectorId: 1, idTag: 'HOLDER01', reservationId: res.body.reservationId });
    expect(charger.connectors.get(1)?.reservation?.reservationId).toBe(res.body.reservationId);
    await eventually(async () => {
      const s = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(s.body.connectors[0]).toMatchObject({ connectorId: 1, status: 'Reserved' });
    });

    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 1, 'SOMEONE2'))).resolves.toBe(
      'CONNECTOR_RESERVED',
    );
    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 1, 'HOLDER01'))).resolves.toBe(
      'ok',
    );
    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 2, 'SOMEONE2'))).resolves.toBe(
      'ok',
    );
    expect(await list()).toEqual([
      expect.objectContaining({
        reservationId: res.body.reservationId,
        status: 'active',
        chargerStatus: 'Accepted',
      }),
    ]);
  });

  it('refuses a second live reservation of the same connector with 409 CONNECTOR_RESERVED', async () => {
    const res = await reserve({ connectorId: 1, expiryDate: inMinutes(10), idTag: 'SOMEONE2' }).expect(409);
    expect(res.body.code).toBe('CONNECTOR_RESERVED');
  });

  it('cancels a reservation on the charger, freeing the connector', async () => {
    const [live] = await list();
    const res = await t.http
      .post(commandUrl(station, 'cancel-reservation'))
      .set(admin.auth)
      .send({ reservationId: live.reservationId })
      .expect(200);
    expect(res.body).toEqual({ status: 'Accepted' });
    expect(charger.connectors.get(1)?.reservation).toBeUndefined();
    expect((await list()).find((r: { id: string }) => r.id === live.id).status).toBe('cancelled');
    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 1, 'SOMEONE2'))).resolves.toBe(
      'ok',
    );
    await t.http
      .post(commandUrl(station, 'cancel-reservation'))
      .set(admin.auth)
      .send({ reservationId: 999999 })
      .expect(404);
  });

  it('records the charger’s refusal and leaves the connector free', async () => {
    charger.respond('ReserveNow', { status: 'Occupied' });
    const res = await reserve({ connectorId: 2, expiryDate: inMinutes(10), idTag: 'HOLDER01' }).expect(200);
    charger.respond('ReserveNow', 'default');
    expect(res.body.status).toBe('Occupied');
    expect((await list()).find((r: { id: string }) => r.id === res.body.id)).toMatchObject({
      status: 'rejected',
      chargerStatus: 'Occupied',
    });
    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 2, 'SOMEONE2'))).resolves.toBe(
      'ok',
    );
  });

  it('answers 504 when the charger is silent, and the reservation does not hold the connector', async () => {
    charger.respond('ReserveNow', 'silent');
    await reserve({ connectorId: 2, expiryDate: inMinutes(10), idTag: 'HOLDER01' }).expect(504);
    charger.respond('ReserveNow', 'default');
    const again = await reserve({ connectorId: 2, expiryDate: inMinutes(10), idTag: 'HOLDER01' }).expect(200);
    expect(again.body.status).toBe('Accepted');
    await t.http
      .post(commandUrl(station, 'cancel-reservation'))
      .set(admin.auth)
      .send({ reservationId: again.body.reservationId })
      .expect(200);
  });

  it('refuses an expiryDate in the past, naming the field', async () => {
    const res = await reserve({ connectorId: 1, expiryDate: inMinutes(-1), idTag: 'HOLDER01' }).expect(400);
    expect(res.body.details.fields[0].field).toBe('expiryDate');
  });

  it('expires a reservation at its expiryDate: swept, and no longer blocking', async () => {
    const expiry = new Date(Date.now() + 1500).toISOString();
    const res = await reserve({ connectorId: 1, expiryDate: expiry, idTag: 'HOLDER01' }).expect(200);
    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 1, 'SOMEONE2'))).resolves.toBe(
      'CONNECTOR_RESERVED',
    );
    await eventually(async () => {
      expect((await list()).find((r: { id: string }) => r.id === res.body.id).status).toBe('expired');
    }, 6000);
    await expect(codeOf(reservations.assertCanStart(tenantId, station.id, 1, 'SOMEONE2'))).resolves.toBe(
      'ok',
    );
  });

  it('lists reservations newest first, page by page', async () => {
    const page = (cursor?: string) =>
      t.http
        .get(`/api/v1/reservations?stationId=${station.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(admin.auth)
        .expect(200);
    const all = await list();
    const first = await page();
    const second = await page(first.body.nextCursor);
    expect([...first.body.items, ...second.body.items].map((r: { id: string }) => r.id)).toEqual(
      all.slice(0, 4).map((r: { id: string }) => r.id),
    );
    const times = all.map((r: { createdAt: string }) => Date.parse(r.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await t.http.get('/api/v1/reservations?cursor=nonsense').set(admin.auth).expect(400);
  });

  describe('by users', () => {
    it('is refused while the operator does not allow user reservations', async () => {
      const user = await aUser(t);
      const res = await t.http
        .post('/api/v1/reservations')
        .set(user.auth)
        .send({ stationId: station.id, connectorId: 2 })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('reserves for the user’s own idTag where allowed; only the owner or an admin sees and cancels it', async () => {
      const root = await theRoot(t);
      await t.http
        .patch(`/api/v1/tenants/${tenantId}`)
        .set(root.auth)
        .send({ allowUserReservations: true })
        .expect(200);
      const user = await aUser(t);
      const res = await t.http
        .post('/api/v1/reservations')
        .set(user.auth)
        .send({ stationId: station.id, connectorId: 2, durationMinutes: 5 })
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'active',
        idTag: user.idTag,
        userId: user.userId,
        connectorId: 2,
      });
      expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
      await expect(charger.waitFor('ReserveNow', (p) => p.idTag === user.idTag)).resolves.toBeDefined();

      const stranger = await aUser(t);
      expect(await list(stranger)).toEqual([]);
      expect((await list(user)).map((r: { id: string }) => r.id)).toEqual([res.body.id]);
      await t.http.post(`/api/v1/reservations/${res.body.id}/cancel`).set(stranger.auth).expect(404);
      const other = await aTenantWithAdmin(t);
      await t.http.post(`/api/v1/reservations/${res.body.id}/cancel`).set(other.admin.auth).expect(404);

      const cancelled = await t.http
        .post(`/api/v1/reservations/${res.body.id}/cancel`)
        .set(user.auth)
        .expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(charger.connectors.get(2)?.reservation).toBeUndefined();
    });

    it('cannot use the admin command routes; an API key without an account has no own reservations', async () => {
      const user = await aUser(t);
      await reserve({}).set(user.auth).expect(403);
      const key = await anApiKey(t, admin, ['read']);
      const res = await t.http.get('/api/v1/reservations').set(key.header).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });
});
