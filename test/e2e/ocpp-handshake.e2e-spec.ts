import WebSocket from 'ws';
import { ChargerStateService } from '../../src/stations/charger-state.service';
import { TestApp, startApp } from '../app';
import { aDefaultTenantAdmin, aTenantWithAdmin, aUser, theRoot } from '../factories/accounts';
import {
  aCharger,
  aStation,
  acceptStation,
  eventually,
  handshake,
  stationRow,
  uniqueChargePointId,
} from '../factories/chargers';

describe('OCPP handshake and connections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100', OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  const url = (id: string) => `${t.wsUrl}/ocpp/${id}`;

  describe('subprotocol negotiation', () => {
    const negotiated = async (
      offered: string[],
      ocppVersions?: ('ocpp1.6' | 'ocpp2.0.1')[],
    ): Promise<{ protocol?: string; station: string }> => {
      const s = await aStation(t, { ocppVersions });
      const res = await handshake(url(s.chargePointId), { protocols: offered });
      expect(res.status).toBe(101);
      res.ws?.close();
      return { protocol: res.protocol, station: s.id };
    };

    it('prefers ocpp2.0.1 when the charger offers both, in either order', async () => {
      expect((await negotiated(['ocpp1.6', 'ocpp2.0.1'])).protocol).toBe('ocpp2.0.1');
      expect((await negotiated(['ocpp2.0.1', 'ocpp1.6'])).protocol).toBe('ocpp2.0.1');
    });

    it('speaks ocpp1.6 to a charger that offers only 1.6', async () => {
      expect((await negotiated(['ocpp1.6'])).protocol).toBe('ocpp1.6');
    });

    it('keeps a station pinned to ocpp1.6 on 1.6 although it offers 2.0.1', async () => {
      expect((await negotiated(['ocpp2.0.1', 'ocpp1.6'], ['ocpp1.6'])).protocol).toBe('ocpp1.6');
    });

    it('records the version of the connection on the station, readable over the API', async () => {
      const admin = await theRoot(t);
      const s = await aStation(t);
      const res = await handshake(url(s.chargePointId), { protocols: ['ocpp2.0.1'] });
      expect(res.protocol).toBe('ocpp2.0.1');
      await eventually(async () => expect((await stationRow(t, s.id)).ocppVersion).toBe('ocpp2.0.1'));
      const view = await t.http.get(`/api/v1/stations/${s.id}`).set(admin.auth).expect(200);
      expect(view.body).toMatchObject({ ocppVersion: 'ocpp2.0.1', ocppVersions: null, online: true });
      res.ws?.close();
      await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(false));
      const again = await handshake(url(s.chargePointId), { protocols: ['ocpp1.6'] });
      await eventually(async () => expect((await stationRow(t, s.id)).ocppVersion).toBe('ocpp1.6'));
      again.ws?.close();
    });

    it('pins and unpins versions with PATCH, and refuses a version it does not know', async () => {
      const admin = await theRoot(t);
      const s = await aStation(t);
      const pinned = await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ ocppVersions: ['ocpp2.0.1'] })
        .expect(200);
      expect(pinned.body.ocppVersions).toEqual(['ocpp2.0.1']);
      for (const bad of [['ocpp2.1'], [], ['ocpp1.6', 'ocpp1.6'], 'ocpp1.6'])
        await t.http
          .patch(`/api/v1/stations/${s.id}`)
          .set(admin.auth)
          .send({ ocppVersions: bad })
          .expect(400);
      const unpinned = await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ ocppVersions: null })
        .expect(200);
      expect(unpinned.body.ocppVersions).toBeNull();
    });
  });

  it('refuses an unknown charge point id with 404', async () => {
    expect((await handshake(url(uniqueChargePointId()))).status).toBe(404);
  });

  it('refuses a malformed path', async () => {
    expect((await handshake(`${t.wsUrl}/ocpp/not-a-tenant/${uniqueChargePointId()}`)).status).toBe(404);
    expect((await handshake(`${t.wsUrl}/ocpp/`)).status).toBe(404);
  });

  it('routes upgrades by path: /ocpp/... to the gateway, /events to the live socket, anything else 404', async () => {
    const admin = await aDefaultTenantAdmin(t);
    for (const path of ['/', '/nowhere', '/ocppx/a', '/events/more', '/api/v1/stations'])
      expect((await handshake(`${t.wsUrl}${path}`)).status).toBe(404);
    // The live socket answers /events beside the OCPP endpoint.
    const live = new WebSocket(`${t.wsUrl}/events?access_token=${admin.token}`);
    const first = await new Promise<unknown>((resolve, reject) => {
      live.once('message', (m) => resolve(JSON.parse(String(m))));
      live.once('error', reject);
    });
    expect(first).toMatchObject({ ready: true });
    live.close();
    const s = await aStation(t);
    const charger = await handshake(url(s.chargePointId));
    expect(charger).toMatchObject({ status: 101, protocol: 'ocpp1.6' });
    charger.ws!.close();
  });

  it('closes with 1009 a frame over the default 1 MiB cap and answers one at it', async () => {
    const charger = await aCharger(t, await aStation(t));
    const frameOf = (bytes: number) => {
      const empty = JSON.stringify([2, 'dt', 'DataTransfer', { vendorId: 'kw', data: '' }]);
      return JSON.stringify([
        2,
        'dt',
        'DataTransfer',
        { vendorId: 'kw', data: 'x'.repeat(bytes - empty.length) },
      ]);
    };
    const answer = charger.nextRawMessage({ match: (f) => f.startsWith('[3,"dt",') });
    charger.sendRaw(frameOf(1024 * 1024));
    expect(JSON.parse(await answer)).toEqual([3, 'dt', { status: 'UnknownVendorId' }]);
    const closed = new Promise<{ code: number }>((r) => charger.once('close', r));
    charger.sendRaw(frameOf(1024 * 1024 + 1));
    expect((await closed).code).toBe(1009);
  });

  describe('security profile 1 (Basic Auth)', () => {
    it('admits the right password', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const charger = await aCharger(t, s);
      expect(charger.registration?.status).toBe('Accepted');
      await charger.close();
    });

    it('refuses a wrong password, a missing one and another charger’s user name with 401', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      expect((await handshake(url(s.chargePointId), { password: 'wrong-password' })).status).toBe(401);
      expect((await handshake(url(s.chargePointId))).status).toBe(401);
      expect(
        (await handshake(url(s.chargePointId), { password: s.password, identity: 'SOMEONE-ELSE' })).status,
      ).toBe(401);
    });

    it('refuses a profile 2 station over plain ws even with the right password', async () => {
      const s = await aStation(t, { securityProfile: 2 });
      expect((await handshake(url(s.chargePointId), { password: s.password })).status).toBe(403);
    });
  });

  describe('duplicate connections', () => {
    it('lets an authenticated newcomer replace the old socket', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const first = await aCharger(t, s);
      const closed = new Promise<{ code: number }>((r) => first.once('close', r));
      const second = await aCharger(t, s);
      expect((await closed).code).toBe(4000);
      await expect(second.heartbeat()).resolves.toHaveProperty('currentTime');
      // The old socket's close must not mark the station offline. A real wait: nothing is to happen,
      // and no signal tells when the server has handled the old socket's close.
      await new Promise((r) => setTimeout(r, 300));
      expect((await stationRow(t, s.id)).online).toBe(true);
      await second.close();
    });

    it('never lets an unauthenticated newcomer disturb an existing connection', async () => {
      const s = await aStation(t, { securityProfile: 0 });
      const first = await aCharger(t, s);
      expect((await handshake(url(s.chargePointId))).status).toBe(409);
      await expect(first.heartbeat()).resolves.toHaveProperty('currentTime');
      await first.close();
    });

    it('does not let a wrong password disturb an existing connection', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const first = await aCharger(t, s);
      expect((await handshake(url(s.chargePointId), { password: 'wrong' })).status).toBe(401);
      await expect(first.heartbeat()).resolves.toHaveProperty('currentTime');
      await first.close();
    });
  });

  it('marks a station online while connected, offline after a drop, and online again on reconnect', async () => {
    const s = await aStation(t);
    const charger = await aCharger(t, s);
    await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(true));
    await charger.close();
    await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(false));
    const again = await aCharger(t, s);
    await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(true));
    await expect(again.heartbeat()).resolves.toHaveProperty('currentTime');
    await again.close();
  });

  it('notices a connection dropped without a close frame and admits the charger again', async () => {
    const s = await aStation(t);
    const raw = await handshake(url(s.chargePointId));
    expect(raw.status).toBe(101);
    await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(true));
    raw.ws!.terminate();
    await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(false));
    const charger = await aCharger(t, s);
    expect(charger.registration?.status).toBe('Accepted');
    await eventually(async () => expect((await stationRow(t, s.id)).online).toBe(true));
    await charger.close();
  });

  it('records lastSeenAt from traffic without writing on every heartbeat', async () => {
    const s = await aStation(t);
    const charger = await aCharger(t, s);
    // The socket's online write (which sets lastSeenAt) is batched and may land after the boot's answer.
    const before = await eventually(async () => {
      const seen = (await stationRow(t, s.id)).lastSeenAt;
      expect(seen).toBeInstanceOf(Date);
      return seen!;
    });
    // A second of the application's time later, the heartbeat's arrival is what lastSeenAt shows.
    t.clock.advance(1000);
    await charger.heartbeat();
    await eventually(async () =>
      expect((await stationRow(t, s.id)).lastSeenAt!.getTime()).toBeGreaterThanOrEqual(
        before.getTime() + 1000,
      ),
    );
    await charger.close();
  });

  it('exposes connection and refusal counts as Prometheus metrics', async () => {
    const s = await aStation(t);
    const charger = await aCharger(t, s);
    await handshake(url(uniqueChargePointId()));
    const res = await t.http.get('/metrics').expect(200);
    expect(res.text).toMatch(/^kilowatt_ocpp_connections [1-9]\d*$/m);
    expect(res.text).toMatch(/^kilowatt_ocpp_handshakes_refused_total\{status="404"\} [1-9]\d*$/m);
    await charger.close();
  });

  describe('auto-registration', () => {
    it('creates an unknown charger pending in a tenant that allows it, and accepts it once an admin did', async () => {
      const { tenantId } = await aTenantWithAdmin(t, { allowAutoRegistration: true });
      const cp = uniqueChargePointId();
      const charger = await aCharger(t, { chargePointId: cp }, { url: `${t.wsUrl}/ocpp/${tenantId}` });
      expect(charger.registration?.status).toBe('Pending');
      // Until accepted, nothing but BootNotification is answered.
      await expect(charger.heartbeat()).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
      const row = await stationRow(t, await findStationId(cp));
      expect(row).toMatchObject({ tenantId, registrationStatus: 'pending', vendor: 'Kilowatt' });
      await acceptStation(t, row.id);
      expect((await charger.boot()).status).toBe('Accepted');
      await expect(charger.heartbeat()).resolves.toHaveProperty('currentTime');
      await charger.close();
    });

    it('refuses an unknown charger in a tenant that does not allow auto-registration', async () => {
      const { tenantId } = await aTenantWithAdmin(t);
      expect((await handshake(`${t.wsUrl}/ocpp/${tenantId}/${uniqueChargePointId()}`)).status).toBe(404);
    });

    it('answers Rejected to a station an admin rejected', async () => {
      const s = await aStation(t, { registrationStatus: 'rejected' });
      const charger = await aCharger(t, s);
      expect(charger.registration?.status).toBe('Rejected');
      await charger.close();
    });
  });

  it('serves /ocpp and the live /events socket side by side on one HTTP server', async () => {
    const user = await aUser(t);
    const events = new WebSocket(`${t.wsUrl}/events?access_token=${user.token}`);
    const frames: Record<string, unknown>[] = [];
    events.on('message', (m) => frames.push(JSON.parse(m.toString())));
    await new Promise<void>((resolve, reject) => {
      events.once('open', () => resolve());
      events.once('error', reject);
    });
    try {
      const s = await aStation(t);
      const charger = await aCharger(t, s);
      await expect(charger.heartbeat()).resolves.toHaveProperty('currentTime');
      // A status the charger reports over /ocpp reaches the user's /events socket.
      await charger.statusNotification(1, 'Faulted', 'GroundFailure');
      await eventually(() =>
        expect(frames).toContainEqual(expect.objectContaining({ type: 'station.status_changed' })),
      );
      expect(frames[0]).toMatchObject({ ready: true });
      await charger.close();
    } finally {
      events.close();
    }
  });

  async function findStationId(chargePointId: string): Promise<string> {
    const found = await t.app.get(ChargerStateService).findForAdmission(chargePointId);
    if (!found) throw new Error(`${chargePointId} not registered`);
    return found.id;
  }
});

describe('OCPP handshake rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('refuses a source with 429 after too many failed handshakes, even with the right password', async () => {
    const s = await aStation(t, { securityProfile: 1 });
    const url = `${t.wsUrl}/ocpp/${s.chargePointId}`;
    for (let i = 0; i < 3; i++) expect((await handshake(url, { password: 'wrong' })).status).toBe(401);
    const blocked = await handshake(url, { password: s.password });
    expect(blocked.status).toBe(429);
  });
});

describe('OCPP gateway shutdown', () => {
  it('closes connected chargers with 1001 (going away) and shuts down promptly', async () => {
    const t = await startApp();
    const s = await aStation(t);
    const charger = await aCharger(t, s);
    const closed = new Promise<{ code: number }>((r) => charger.once('close', r));
    const started = Date.now();
    await t.close();
    expect((await closed).code).toBe(1001);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
