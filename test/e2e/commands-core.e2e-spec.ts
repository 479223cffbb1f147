import { createRPCError } from 'ocpp-rpc';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser, anApiKey } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

describe('Operator commands: Core and Remote Trigger over a real charger socket', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let charger: ChargerSimulator;

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '400' });
    admin = await aDefaultTenantAdmin(t);
    station = await aRegisteredStation(t, admin);
    charger = await aConnectedCharger(t, station);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  const send = (command: string, body: object = {}, who: TestAccount = admin) =>
    t.http.post(commandUrl(station, command)).set(who.auth).send(body);

  it.each([
    ['reset', { type: 'Soft' }, 'Reset', { status: 'Accepted' }],
    [
      'change-availability',
      { connectorId: 2, type: 'Inoperative' },
      'ChangeAvailability',
      { status: 'Accepted' },
    ],
    [
      'change-configuration',
      { key: 'HeartbeatInterval', value: '120' },
      'ChangeConfiguration',
      { status: 'Accepted' },
    ],
    ['clear-cache', {}, 'ClearCache', { status: 'Accepted' }],
    ['trigger-message', { requestedMessage: 'Heartbeat' }, 'TriggerMessage', { status: 'Accepted' }],
    ['unlock', { connectorId: 1 }, 'UnlockConnector', { status: 'Unlocked' }],
    [
      'data-transfer',
      { vendorId: 'com.example', messageId: 'Ping', data: 'x' },
      'DataTransfer',
      { status: 'UnknownVendorId' },
    ],
  ])('%s sends %s and answers with the charger’s reply', async (command, body, action, reply) => {
    if (command === 'reset') charger.respond('Reset', { status: 'Accepted' }); // keep the socket open
    const res = await send(command, body).expect(200);
    expect(res.body).toEqual(reply);
    await expect(charger.waitFor(action as 'Reset')).resolves.toEqual(body);
  });

  it('a real Hard reset is accepted: the charger drops the connection, comes back and boots again', async () => {
    const other = await aRegisteredStation(t, admin);
    const rebooting = await aConnectedCharger(t, other, { reconnect: true });
    const boots = () => rebooting.sent.filter((c) => c.action === 'BootNotification' && c.reply).length;
    const res = await t.http
      .post(commandUrl(other, 'reset'))
      .set(admin.auth)
      .send({ type: 'Hard' })
      .expect(200);
    expect(res.body).toEqual({ status: 'Accepted' });
    await eventually(() => expect(boots()).toBe(2), 10_000);
    await rebooting.close();
  });

  it('change-configuration really changes the charger, and get-configuration reads it back', async () => {
    await send('change-configuration', { key: 'MeterValueSampleInterval', value: '45' }).expect(200);
    const res = await send('get-configuration', { key: ['MeterValueSampleInterval', 'NoSuchKey'] }).expect(
      200,
    );
    expect(res.body).toEqual({
      configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '45' }],
      unknownKey: ['NoSuchKey'],
    });
  });

  it('get-configuration without keys lists every key', async () => {
    const res = await send('get-configuration').expect(200);
    expect(res.body.configurationKey.map((k: { key: string }) => k.key)).toContain('HeartbeatInterval');
  });

  it('change-availability of the whole station (connector 0) makes every connector unavailable', async () => {
    await send('change-availability', { connectorId: 0, type: 'Inoperative' }).expect(200);
    expect([...charger.connectors.values()].every((c) => c.availability === 'Inoperative')).toBe(true);
    await send('change-availability', { connectorId: 0, type: 'Operative' }).expect(200);
  });

  it('answers 200 with the charger’s rejection', async () => {
    charger.respond('ClearCache', { status: 'Rejected' });
    const res = await send('clear-cache').expect(200);
    expect(res.body).toEqual({ status: 'Rejected' });
    charger.respond('ClearCache', 'default');
  });

  it('answers 504 CHARGER_TIMEOUT when the charger stays silent', async () => {
    charger.respond('TriggerMessage', 'silent');
    const res = await send('trigger-message', { requestedMessage: 'StatusNotification' }).expect(504);
    expect(res.body.code).toBe('CHARGER_TIMEOUT');
    charger.respond('TriggerMessage', 'default');
  });

  it('answers 502 CHARGER_ERROR with the OCPP error code when the charger answers a CALLERROR', async () => {
    charger.respond('UnlockConnector', () => {
      throw createRPCError('NotSupported', 'no motorised lock');
    });
    const res = await send('unlock', { connectorId: 1 }).expect(502);
    expect(res.body).toMatchObject({ code: 'CHARGER_ERROR', details: { ocppErrorCode: 'NotSupported' } });
    charger.respond('UnlockConnector', 'default');
  });

  it('answers 409 STATION_OFFLINE for a station whose charger is not connected', async () => {
    const offline = await aRegisteredStation(t, admin);
    const res = await t.http
      .post(commandUrl(offline, 'reset'))
      .set(admin.auth)
      .send({ type: 'Hard' })
      .expect(409);
    expect(res.body.code).toBe('STATION_OFFLINE');
  });

  it('answers 400 naming the fields of a bad command body', async () => {
    const res = await send('reset', { type: 'Sideways' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['type']);
    const bad = await send('change-configuration', { key: '', extra: 1 }).expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'extra',
      'key',
      'value',
    ]);
  });

  it('refuses a user with 403 and sends nothing', async () => {
    const user = await aUser(t);
    const before = charger.received.length;
    const res = await send('reset', { type: 'Soft' }, user).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(charger.received.length).toBe(before);
  });

  it('answers 404 for a station of another tenant, and 401 without credentials', async () => {
    const other = await aTenantWithAdmin(t);
    const res = await send('clear-cache', {}, other.admin).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    await t.http.post(commandUrl(station, 'clear-cache')).send({}).expect(401);
    const audit = await t.http.get('/api/v1/command-audit').set(other.admin.auth).expect(200);
    expect(audit.body.items).toEqual([]);
  });

  it('documents every command route in Swagger with its errors and auth', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    const commands = [
      'reset',
      'unlock',
      'change-availability',
      'get-configuration',
      'change-configuration',
      'clear-cache',
      'trigger-message',
      'update-firmware',
      'get-diagnostics',
      'data-transfer',
      'reserve-now',
      'cancel-reservation',
      'send-local-list',
      'get-local-list-version',
      'set-charging-profile',
      'clear-charging-profile',
      'get-composite-schedule',
    ];
    for (const c of commands) {
      const op = doc.body.paths[`/api/v1/stations/{id}/commands/${c}`]?.post;
      expect({ c, responses: Object.keys(op?.responses ?? {}).sort() }).toEqual({
        c,
        responses: ['200', '400', '401', '403', '404', '409', '502', '504'],
      });
      expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    }
  });

  describe('audit log', () => {
    it('records who sent what to which station, and the reply or the error', async () => {
      const res = await t.http
        .get(`/api/v1/stations/${station.id}/commands/audit?action=UnlockConnector`)
        .set(admin.auth)
        .expect(200);
      const [failed, unlocked] = res.body.items;
      expect(failed).toMatchObject({
        stationId: station.id,
        chargePointId: station.chargePointId,
        actorUserId: admin.userId,
        actorRole: 'admin',
        action: 'UnlockConnector',
        request: { connectorId: 1 },
        reply: null,
        errorCode: 'CHARGER_ERROR',
      });
      expect(unlocked).toMatchObject({ reply: { status: 'Unlocked' }, errorCode: null });
      expect(Date.parse(failed.at)).toBeGreaterThanOrEqual(Date.parse(unlocked.at));
    });

    it('records timeouts and offline stations too', async () => {
      const res = await t.http.get('/api/v1/command-audit?limit=200').set(admin.auth).expect(200);
      const codes = res.body.items.map((e: { errorCode: string | null }) => e.errorCode);
      expect(codes).toEqual(expect.arrayContaining(['CHARGER_TIMEOUT', 'STATION_OFFLINE']));
    });

    it('pages newest first with a cursor and filters by time', async () => {
      const first = await t.http.get('/api/v1/command-audit?limit=3').set(admin.auth).expect(200);
      expect(first.body.items).toHaveLength(3);
      const next = await t.http
        .get(`/api/v1/command-audit?limit=3&cursor=${first.body.nextCursor}`)
        .set(admin.auth)
        .expect(200);
      const ids = [...first.body.items, ...next.body.items].map((e: { id: string }) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const future = await t.http
        .get(`/api/v1/command-audit?from=${new Date(Date.now() + 60_000).toISOString()}`)
        .set(admin.auth)
        .expect(200);
      expect(future.body.items).toEqual([]);
    });

    it('records an API-key caller by its key', async () => {
      const key = await anApiKey(t, admin, ['admin']);
      await t.http.post(commandUrl(station, 'clear-cache')).set(key.header).send({}).expect(200);
      const res = await t.http
        .get(`/api/v1/stations/${station.id}/commands/audit?action=ClearCache&limit=1`)
        .set(admin.auth)
        .expect(200);
      expect(res.body.items[0]).toMatchObject({
        actorApiKeyId: key.id,
        actorUserId: null,
        reply: { status: 'Accepted' },
      });
      const readOnly = await anApiKey(t, admin, ['read']);
      await t.http.post(commandUrl(station, 'clear-cache')).set(readOnly.header).send({}).expect(403);
    });

    it('is for admins only', async () => {
      const user = await aUser(t);
      await t.http.get('/api/v1/command-audit').set(user.auth).expect(403);
      await t.http.get(`/api/v1/stations/${station.id}/commands/audit`).set(user.auth).expect(403);
    });
  });
});
