import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import { MessageLogService } from '../../src/ocpp/gateway/message-log.service';
import { ocppMessages } from '../../src/ocpp/ocpp.tables';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin } from '../factories/accounts';
import { TestStation, aCharger, aStation, eventually, stationRow } from '../factories/chargers';

const now = () => new Date().toISOString();

describe('OCPP values the schemas allow but no column or 1.6 integer holds', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: TestStation;
  let charger: ChargerSimulator;
  let seq = 0;

  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100' });
    admin = await aDefaultTenantAdmin(t);
    station = await aStation(t);
    charger = await aCharger(t, station);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  /** Sends a call as raw JSON (JSON.stringify writes NULs and lone surrogates as \u escapes). */
  async function call(action: string, payload: object): Promise<unknown[]> {
    const id = `edge-${seq++}`;
    const answer = charger.nextRawMessage({ match: (f) => f.includes(`"${id}"`) });
    charger.sendRaw(JSON.stringify([2, id, action, payload]));
    return JSON.parse(await answer) as unknown[];
  }

  const logOf = async (stationId: string) =>
    t.app.get<Db>(DB).select().from(ocppMessages).where(eq(ocppMessages.stationId, stationId));

  describe('NUL characters and lone surrogates from a charger', () => {
    it('stores boot facts with them replaced by U+FFFD instead of failing the BootNotification', async () => {
      const res = await call('BootNotification', {
        chargePointVendor: 'Acme\u0000\u0000',
        chargePointModel: 'V\ud800',
      });
      expect(res[0]).toBe(3);
      expect(res[2]).toMatchObject({ status: 'Accepted' });
      const row = await stationRow(t, station.id);
      expect({ vendor: row.vendor, model: row.model }).toEqual({
        vendor: 'Acme\ufffd\ufffd',
        model: 'V\ufffd',
      });
    });

    it.each([
      ['Authorize', { idTag: 'TAG\u0000' }, { idTagInfo: { status: 'Invalid' } }],
      ['DataTransfer', { vendorId: 'com.acme', data: 'x\u0000y' }, { status: 'UnknownVendorId' }],
      [
        'StatusNotification',
        {
          connectorId: 1,
          errorCode: 'NoError',
          status: 'Available',
          info: 'i\u0000',
          vendorErrorCode: '\udc00',
        },
        {},
      ],
    ])('answers %s with its .conf, never InternalError', async (action, payload, conf) => {
      const res = await call(action, payload);
      expect(res[0]).toBe(3);
      expect(res[2]).toEqual(conf);
    });

    it('keeps every frame in the message log, those jsonb cannot hold as escaped JSON text', async () => {
      await call('DataTransfer', { vendorId: 'com.acme', messageId: 'nul', data: 'keep\u0000me' });
      const rows = await eventually(async () => {
        const r = (await logOf(station.id)).filter((m) => JSON.stringify(m.frame).includes('keep'));
        expect(r).toHaveLength(1);
        return r;
      });
      const escaped = (rows[0].frame as { escaped: string }).escaped;
      expect(JSON.parse(escaped)).toEqual([
        2,
        expect.any(String),
        'DataTransfer',
        { vendorId: 'com.acme', messageId: 'nul', data: 'keep\u0000me' },
      ]);
      const api = await t.http
        .get(`/api/v1/stations/${station.id}/ocpp-log?limit=200`)
        .set(admin.auth)
        .expect(200);
      expect(JSON.stringify(api.body.items)).toContain('keep\\\\u0000me');
    });
  });

  describe('one frame that cannot be stored loses only itself', () => {
    it('writes the other frames of a failed batch and counts the one it could not', async () => {
      const log = t.app.get(MessageLogService);
      await log.flush({ final: false });
      const droppedBefore = log.dropped;
      const other = await aStation(t);
      const { tenantId } = await stationRow(t, other.id);
      const frames = Array.from({ length: 9 }, (_, i) => [2, `iso-${i}`, 'Heartbeat', {}]);
      // A station that does not exist (deleted meanwhile) fails its row's foreign key.
      const gone = '00000000-0000-0000-0000-000000000000';
      log.record({ tenantId, stationId: gone, direction: 'in', frame: [2, 'orphan', 'Heartbeat', {}] });
      for (const frame of frames) log.record({ tenantId, stationId: other.id, direction: 'in', frame });
      await log.flush();
      const stored = await logOf(other.id);
      expect(stored.map((r) => r.messageId).sort()).toEqual(frames.map((f) => f[1]).sort());
      expect(log.dropped - droppedBefore).toBe(1);
    });
  });

  describe('integers beyond 32 bits', () => {
    it.each([
      ['StatusNotification', { connectorId: 2 ** 31, errorCode: 'NoError', status: 'Available' }],
      [
        'MeterValues',
        {
          connectorId: 1,
          transactionId: 2 ** 31,
          meterValue: [{ timestamp: now(), sampledValue: [{ value: '1' }] }],
        },
      ],
      [
        'MeterValues',
        { connectorId: -(2 ** 31) - 1, meterValue: [{ timestamp: now(), sampledValue: [{ value: '1' }] }] },
      ],
      [
        'StartTransaction',
        { connectorId: 1, idTag: 'T1', meterStart: 0, timestamp: now(), reservationId: 2 ** 31 },
      ],
    ])('refuses %s naming the id with PropertyConstraintViolation', async (action, payload) => {
      const res = await call(action, payload);
      expect(res.slice(0, 3)).toEqual([4, expect.any(String), 'PropertyConstraintViolation']);
      expect(res[3]).toMatch(/(connectorId|transactionId|reservationId) -?\d+ is not a 32-bit integer/);
    });

    it('acknowledges a StopTransaction for an impossible transactionId, so the charger does not retry it', async () => {
      const res = await call('StopTransaction', {
        transactionId: 2 ** 31,
        meterStop: 10,
        timestamp: now(),
        idTag: 'T1',
      });
      expect(res).toEqual([3, expect.any(String), {}]);
    });

    it('stores meter registers past 2^31 Wh (bigint columns) and bills their difference', async () => {
      const started = await call('StartTransaction', {
        connectorId: 1,
        idTag: 'T1',
        meterStart: 2 ** 31 + 5,
        timestamp: now(),
      });
      expect(started[0]).toBe(3);
      const { transactionId } = started[2] as { transactionId: number };
      const stopped = await call('StopTransaction', {
        transactionId,
        meterStop: 2 ** 31 + 1005,
        timestamp: now(),
      });
      expect(stopped[0]).toBe(3);
      const list = await t.http.get(`/api/v1/sessions?stationId=${station.id}`).set(admin.auth).expect(200);
      const session = list.body.items.find(
        (s: { transactionId: number }) => s.transactionId === transactionId,
      );
      expect(session).toMatchObject({ status: 'completed', energyWh: 1000 });
    });
  });

  describe('commands', () => {
    const auditOf = async (action: string) =>
      (await t.http.get(`/api/v1/command-audit?action=${action}&limit=1`).set(admin.auth).expect(200)).body
        .items[0];

    it('audits a command before it is sent, then gives the entry the reply', async () => {
      let whileSending: unknown;
      charger.respond('ChangeConfiguration', async (_params, ctx) => {
        whileSending = await auditOf('ChangeConfiguration');
        return ctx.useDefault();
      });
      try {
        await t.http
          .post(`/api/v1/stations/${station.id}/commands/change-configuration`)
          .set(admin.auth)
          .send({ key: 'MeterValueSampleInterval', value: '30' })
          .expect(200);
      } finally {
        charger.respond('ChangeConfiguration', 'default');
      }
      expect(whileSending).toMatchObject({
        action: 'ChangeConfiguration',
        request: { key: 'MeterValueSampleInterval', value: '30' },
        reply: null,
        errorCode: null,
        durationMs: null,
      });
      const after = await auditOf('ChangeConfiguration');
      expect(after).toMatchObject({ id: (whileSending as { id: string }).id, reply: { status: 'Accepted' } });
      expect(after.durationMs).toEqual(expect.any(Number));
    });

    it('refuses a change-configuration with a NUL in its key before it reaches the charger', async () => {
      const before = charger.received.length;
      const res = await t.http
        .post(`/api/v1/stations/${station.id}/commands/change-configuration`)
        .set(admin.auth)
        .send({ key: 'Meter\u0000Interval', value: '30' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['key']);
      expect(charger.received.slice(before).map((c) => c.action)).not.toContain('ChangeConfiguration');
    });
  });

  it('never answers InternalError to hostile strings and integers in the charger-facing actions', async () => {
    const anyCodeUnits = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    });
    const bigInt = fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 0));
    const frames = fc.oneof(
      fc.record({ action: fc.constant('Authorize'), payload: fc.record({ idTag: anyCodeUnits }) }),
      fc.record({
        action: fc.constant('DataTransfer'),
        payload: fc.record({ vendorId: anyCodeUnits, data: anyCodeUnits }),
      }),
      fc.record({
        action: fc.constant('BootNotification'),
        payload: fc.record({
          chargePointVendor: anyCodeUnits,
          chargePointModel: anyCodeUnits,
          firmwareVersion: anyCodeUnits,
        }),
      }),
      fc.record({
        action: fc.constant('StatusNotification'),
        payload: fc.record({
          connectorId: bigInt,
          errorCode: fc.constant('OtherError'),
          status: fc.constant('Available'),
          info: anyCodeUnits,
          vendorId: anyCodeUnits,
        }),
      }),
      fc.record({
        action: fc.constant('StopTransaction'),
        payload: fc.record({
          transactionId: bigInt,
          meterStop: bigInt,
          timestamp: fc.constant(now()),
          idTag: anyCodeUnits,
        }),
      }),
      fc.record({
        action: fc.constant('MeterValues'),
        payload: fc.record({
          connectorId: bigInt,
          transactionId: bigInt,
          meterValue: fc.constant([{ timestamp: now(), sampledValue: [{ value: '5' }] }]),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(frames, async ({ action, payload }) => {
        const res = await call(action, payload);
        expect(res[0] === 4 ? res[2] : 'answered').not.toBe('InternalError');
        if (action === 'StopTransaction') expect(res[0]).toBe(3);
      }),
      { numRuns: 120 },
    );
  });
});
