import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import type { DomainEvent } from '../../src/events/domain-event';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import { EventBus } from '../../src/events/event-bus';
import { MessageLogService } from '../../src/ocpp/gateway/message-log.service';
import { ocppMessages } from '../../src/ocpp/ocpp.tables';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import {
  TestStation,
  aCharger,
  aStation,
  connectorRows,
  eventually,
  stationRow,
} from '../factories/chargers';

describe('OCPP messages from a charger', () => {
  let t: TestApp;
  let station: TestStation;
  let charger: ChargerSimulator;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100', OCPP_HEARTBEAT_INTERVAL_SECONDS: '120' });
    admin = await aDefaultTenantAdmin(t);
    station = await aStation(t);
    charger = await aCharger(t, station, {
      boot: false,
      vendor: 'Acme',
      model: 'Volt 22',
      serialNumber: 'SN-0042',
      firmwareVersion: '4.2.1',
    });
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  /** Sends a raw frame and resolves with the raw answer carrying the same message id. */
  async function exchange(frame: string, messageId: string): Promise<unknown[]> {
    const answer = charger.nextRawMessage({ match: (f) => f.includes(`"${messageId}"`) });
    charger.sendRaw(frame);
    return JSON.parse(await answer) as unknown[];
  }

  it('answers BootNotification Accepted with the configured heartbeat interval and stores the boot facts', async () => {
    const conf = await charger.boot();
    expect(conf).toMatchObject({ status: 'Accepted', interval: 120 });
    expect(Math.abs(Date.parse(conf.currentTime) - Date.now())).toBeLessThan(5000);
    const row = await stationRow(t, station.id);
    expect(row).toMatchObject({
      vendor: 'Acme',
      model: 'Volt 22',
      serialNumber: 'SN-0042',
      firmwareVersion: '4.2.1',
      meterType: 'Simulated 3-phase meter',
    });
    expect(row.lastBootAt).toBeInstanceOf(Date);
  });

  it('stores boot facts verbatim whatever characters they hold', async () => {
    // Boots are written in batches, one array parameter per column: quotes, commas, braces,
    // backslashes and the word NULL must come back as sent, and facts the boot left out as null.
    const other = await aStation(t);
    const facts = {
      vendor: 'A"c,{m}e\\ x',
      model: 'NULL',
      serialNumber: "it's {1,2}",
      firmwareVersion: '4.2 "beta", \\N',
    };
    const c = await aCharger(t, other, facts);
    try {
      expect(await stationRow(t, other.id)).toMatchObject({
        ...facts,
        iccid: null,
        imsi: null,
        meterSerialNumber: null,
      });
    } finally {
      await c.close();
    }
  });

  it('answers Heartbeat with the current time', async () => {
    const conf = await charger.heartbeat();
    expect(Math.abs(Date.parse(conf.currentTime) - Date.now())).toBeLessThan(5000);
  });

  it('stores per-connector status, connector 0 as the station, and publishes station.status_changed', async () => {
    const events: DomainEvent[] = [];
    const unsubscribe = t.app.get(EventBus).subscribe((e) => void events.push(e), { scope: 'origin' });
    try {
      await charger.statusNotification(0, 'Available');
      await charger.statusNotification(1, 'Faulted', 'GroundFailure', {
        info: 'RCD tripped',
        vendorErrorCode: 'E42',
      });
      await charger.statusNotification(2, 'Preparing');
      const row = await stationRow(t, station.id);
      expect(row).toMatchObject({ status: 'Available', errorCode: 'NoError' });
      const conns = await connectorRows(t, station.id);
      expect(conns.map((c) => [c.connectorId, c.status, c.errorCode, c.info, c.vendorErrorCode])).toEqual([
        [1, 'Faulted', 'GroundFailure', 'RCD tripped', 'E42'],
        [2, 'Preparing', 'NoError', null, null],
      ]);
      await eventually(() =>
        expect(events.filter((e) => e.type === 'station.status_changed')).toHaveLength(3),
      );
      expect(events[1]).toMatchObject({
        tenantId: station.tenantId,
        stationId: station.id,
        data: { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' },
      });
    } finally {
      unsubscribe();
    }
  });

  it('ignores a status report older than the stored one', async () => {
    await charger.statusNotification(2, 'Charging', 'NoError', { timestamp: new Date() });
    await charger.statusNotification(2, 'Available', 'NoError', { timestamp: new Date(Date.now() - 60_000) });
    const conns = await connectorRows(t, station.id);
    expect(conns.find((c) => c.connectorId === 2)?.status).toBe('Charging');
  });

  describe('Authorize', () => {
    const newTag = async (body: Record<string, unknown>) =>
      (await t.http.post('/api/v1/id-tags').set(admin.auth).send(body).expect(201)).body as { id: string };

    it('accepts a driver’s idTag of the station’s tenant', async () => {
      const driver = await aUser(t);
      await expect(charger.authorize(driver.idTag)).resolves.toEqual({ idTagInfo: { status: 'Accepted' } });
    });

    it('answers Invalid for an unknown idTag and for another tenant’s idTag', async () => {
      await expect(charger.authorize('NO-SUCH-TAG')).resolves.toEqual({ idTagInfo: { status: 'Invalid' } });
      const other = await aTenantWithAdmin(t);
      await t.http.post('/api/v1/id-tags').set(other.admin.auth).send({ idTag: 'FOREIGN-1' }).expect(201);
      await expect(charger.authorize('FOREIGN-1')).resolves.toEqual({ idTagInfo: { status: 'Invalid' } });
    });

    it('passes on the expiry date and the parent idTag', async () => {
      const expiresAt = new Date(Date.now() + 86_400_000);
      await newTag({ idTag: 'FLEET-PARENT' });
      await newTag({ idTag: 'FLEET-CHILD', parentIdTag: 'FLEET-PARENT', expiresAt: expiresAt.toISOString() });
      await expect(charger.authorize('FLEET-CHILD')).resolves.toEqual({
        idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET-PARENT', expiryDate: expiresAt.toISOString() },
      });
    });

    it('answers Blocked for a blocked idTag and Expired for an expired one', async () => {
      const tag = await newTag({ idTag: 'TO-BLOCK' });
      await t.http.patch(`/api/v1/id-tags/${tag.id}`).set(admin.auth).send({ status: 'blocked' }).expect(200);
      await expect(charger.authorize('TO-BLOCK')).resolves.toMatchObject({
        idTagInfo: { status: 'Blocked' },
      });
      const old = await newTag({
        idTag: 'TO-EXPIRE',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
      await t.http
        .patch(`/api/v1/id-tags/${old.id}`)
        .set(admin.auth)
        .send({ expiresAt: new Date(Date.now() - 1000).toISOString() })
        .expect(200);
      await expect(charger.authorize('TO-EXPIRE')).resolves.toMatchObject({
        idTagInfo: { status: 'Expired' },
      });
    });
  });

  it('answers DataTransfer from an unknown vendor with UnknownVendorId', async () => {
    await expect(
      charger.dataTransfer({ vendorId: 'com.example', messageId: 'x', data: '{}' }),
    ).resolves.toEqual({
      status: 'UnknownVendorId',
    });
  });

  it('stores diagnostics and firmware status notifications', async () => {
    await expect(charger.diagnosticsStatusNotification('Uploading')).resolves.toEqual({});
    await expect(charger.firmwareStatusNotification('Downloaded')).resolves.toEqual({});
    const row = await stationRow(t, station.id);
    expect(row).toMatchObject({ diagnosticsStatus: 'Uploading', firmwareStatus: 'Downloaded' });
  });

  describe('malformed frames', () => {
    it.each([
      ['text that is not JSON', 'FormationViolation', 'not json at all'],
      ['JSON that is not an array', 'FormationViolation', '{"x":"-1"}'],
      ['an unknown message type', 'ProtocolError', '[7,"-1","Heartbeat",{}]'],
    ])('answers %s with a CALLERROR %s', async (_what, code, frame) => {
      const answer = await exchange(frame, '-1');
      expect(answer.slice(0, 3)).toEqual([4, '-1', code]);
    });

    it.each([
      ['a payload of the wrong type', '[2,"m-type","Heartbeat","oops"]', 'm-type', 'TypeConstraintViolation'],
      [
        'a missing required field',
        '[2,"m-req","StatusNotification",{"connectorId":1,"status":"Available"}]',
        'm-req',
        'OccurrenceConstraintViolation',
      ],
      [
        'an unknown field',
        '[2,"m-extra","Heartbeat",{"surprise":true}]',
        'm-extra',
        'PropertyConstraintViolation',
      ],
      [
        'a value out of its enumeration',
        '[2,"m-enum","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]',
        'm-enum',
        'PropertyConstraintViolation',
      ],
      [
        'a string longer than the schema allows',
        `[2,"m-len","BootNotification",{"chargePointVendor":"${'x'.repeat(21)}","chargePointModel":"M"}]`,
        'm-len',
        'PropertyConstraintViolation',
      ],
    ])('answers %s with the CALLERROR the schema calls for', async (_what, frame, id, code) => {
      const answer = await exchange(frame, id);
      expect(answer.slice(0, 3)).toEqual([4, id, code]);
    });

    it('keeps the connection usable after malformed frames', async () => {
      await exchange('garbage', '-1');
      await expect(charger.heartbeat()).resolves.toHaveProperty('currentTime');
    });
  });

  describe('actions without a handler', () => {
    it('answers an unknown action with NotImplemented', async () => {
      const answer = await exchange('[2,"m-unknown","BrewCoffee",{}]', 'm-unknown');
      expect(answer.slice(0, 3)).toEqual([4, 'm-unknown', 'NotImplemented']);
    });

    it('answers a 1.6 action the central system does not take with NotImplemented', async () => {
      const answer = await exchange('[2,"m-csms","ClearCache",{}]', 'm-csms');
      expect(answer.slice(0, 3)).toEqual([4, 'm-csms', 'NotImplemented']);
      await expect(charger.heartbeat()).resolves.toHaveProperty('currentTime');
    });
  });

  describe('GET /api/v1/stations/{id}/ocpp-log', () => {
    it('lists the station’s frames newest first, paginated', async () => {
      await charger.heartbeat();
      const res = await eventually(async () => {
        const r = await t.http
          .get(`/api/v1/stations/${station.id}/ocpp-log?limit=2`)
          .set(admin.auth)
          .expect(200);
        expect(r.body.items[0]).toMatchObject({ direction: 'out', messageType: 3 });
        // The log is flushed in batches: wait until the heartbeat itself has been written.
        expect(r.body.items[1]).toMatchObject({ action: 'Heartbeat' });
        return r;
      });
      const [result, call] = res.body.items;
      expect(call).toMatchObject({ direction: 'in', messageType: 2, action: 'Heartbeat' });
      expect(result.messageId).toBe(call.messageId);
      expect(res.body.nextCursor).toEqual(expect.any(String));
      const next = await t.http
        .get(`/api/v1/stations/${station.id}/ocpp-log?limit=2&cursor=${res.body.nextCursor}`)
        .set(admin.auth)
        .expect(200);
      expect(next.body.items).toHaveLength(2);
      expect(Number(next.body.items[0].id)).toBeLessThan(Number(call.id));
    });

    it('logs a malformed frame with its raw text and the CALLERROR sent back', async () => {
      await exchange('definitely not json', '-1');
      await eventually(async () => {
        const r = await t.http
          .get(`/api/v1/stations/${station.id}/ocpp-log?limit=2`)
          .set(admin.auth)
          .expect(200);
        expect(r.body.items[1].frame).toEqual({ raw: 'definitely not json' });
        expect(r.body.items[0].frame.slice(0, 3)).toEqual([4, '-1', 'FormationViolation']);
      });
    });

    it('answers 404 for a station of another tenant, an unknown id or a malformed id', async () => {
      const other = await aTenantWithAdmin(t);
      await t.http.get(`/api/v1/stations/${station.id}/ocpp-log`).set(other.admin.auth).expect(404);
      await t.http
        .get('/api/v1/stations/00000000-0000-4000-8000-000000000000/ocpp-log')
        .set(admin.auth)
        .expect(404);
      const bad = await t.http.get('/api/v1/stations/nope/ocpp-log').set(admin.auth).expect(404);
      expect(bad.body.code).toBe('NOT_FOUND');
    });

    it('refuses drivers and anonymous callers', async () => {
      const driver = await aUser(t);
      await t.http.get(`/api/v1/stations/${station.id}/ocpp-log`).set(driver.auth).expect(403);
      await t.http.get(`/api/v1/stations/${station.id}/ocpp-log`).expect(401);
    });

    it('forgets frames older than the retention period', async () => {
      const db = t.app.get<Db>(DB);
      const old = new Date(Date.now() - 8 * 86_400_000);
      await db.insert(ocppMessages).values({
        tenantId: station.tenantId,
        stationId: station.id,
        direction: 'in',
        messageType: 2,
        messageId: 'ancient',
        action: 'Heartbeat',
        frame: [2, 'ancient', 'Heartbeat', {}],
        createdAt: old,
      });
      await t.app.get(MessageLogService).purgeOlderThan(7);
      const rows = await db.select().from(ocppMessages).where(eq(ocppMessages.stationId, station.id));
      expect(rows.some((r) => r.messageId === 'ancient')).toBe(false);
      expect(rows.length).toBeGreaterThan(0);
    });

    it('answers 400 for a bad cursor or limit', async () => {
      const r = await t.http
        .get(`/api/v1/stations/${station.id}/ocpp-log?cursor=zzz`)
        .set(admin.auth)
        .expect(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      await t.http.get(`/api/v1/stations/${station.id}/ocpp-log?limit=0`).set(admin.auth).expect(400);
    });
  });
});

describe('OCPP message log writes', () => {
  let t: TestApp;
  let station: TestStation;
  let charger: ChargerSimulator;

  // The timer that writes the log runs every 10 minutes here: only a full chunk starts a write.
  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '600000' });
    station = await aStation(t);
    charger = await aCharger(t, station);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  const logged = async () => {
    const rows = await t.app
      .get<Db>(DB)
      .select({ id: ocppMessages.id, messageId: ocppMessages.messageId, direction: ocppMessages.direction })
      .from(ocppMessages)
      .where(eq(ocppMessages.stationId, station.id));
    return rows;
  };

  it('writes whole chunks of 250 frames as they fill, and the rest on flush, each frame once', async () => {
    for (let i = 0; i < 150; i++) await charger.heartbeat();
    // 300 heartbeat frames plus the boot's: at least one chunk is written without the timer.
    const written = await eventually(async () => {
      const rows = await logged();
      expect(rows.length).toBeGreaterThanOrEqual(250);
      return rows.length;
    });
    expect(written % 250).toBe(0);
    await t.app.get(MessageLogService).flush();
    const rows = await logged();
    expect(rows.length).toBeGreaterThan(written);
    expect(rows.length).toBeGreaterThanOrEqual(302);
    // Each call in and its answer out, exactly once.
    const keys = rows.map((r) => `${r.direction}:${r.messageId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.filter((r) => r.direction === 'in')).toHaveLength(rows.length / 2);
  });
});
