import type { RPCClient } from 'ocpp-rpc';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { aCharger201 } from '../factories/charger201';
import { aCharger, eventually } from '../factories/chargers';
import { CommandStation, aRegisteredStation, commandUrl } from './commands.helpers';

describe('operator commands to OCPP 2.0.1 stations', () => {
  let t: TestApp;
  let admin: TestAccount;
  const open: { close(o?: object): Promise<unknown> }[] = [];

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const c of open) await c.close();
    await t.close();
  });

  /**
   * A connected 2.0.1 station whose charger records every request it gets and answers `replies[action]`.
   * It is booted, and has had the GetBaseReport that follows a first boot, before `received` starts.
   */
  async function aStation201(replies: Record<string, object> = {}) {
    const station = await aRegisteredStation(t, admin);
    const charger: RPCClient = await aCharger201(t, station, { boot: false });
    open.push(charger);
    const received: { action: string; params: unknown }[] = [];
    charger.handle(async ({ method, params }) => {
      received.push({ action: String(method), params });
      const reply = replies[String(method)];
      if (!reply) throw new Error(`no reply for ${method}`);
      return reply as Record<string, unknown>;
    });
    await charger.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'KW-201', vendorName: 'Kilowatt Test' },
    });
    await eventually(() => expect(received.map((r) => r.action)).toEqual(['GetBaseReport']));
    received.length = 0;
    return { station, charger, received };
  }

  const send = (station: CommandStation, command: string, body: object, who = admin) =>
    t.http.post(commandUrl(station, command)).set(who.auth).send(body);

  it('sends any 2.0.1 command with its 2.0.1 body and answers the reply', async () => {
    const getVariableResult = [
      {
        attributeStatus: 'Accepted',
        attributeValue: '300',
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
      },
    ];
    const { station, received } = await aStation201({
      GetVariables: { getVariableResult },
      SetVariables: {
        setVariableResult: [
          {
            attributeStatus: 'Accepted',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
          },
        ],
      },
      GetBaseReport: { status: 'Accepted' },
      GetLog: { status: 'Accepted', filename: 'diag.zip' },
      UnlockConnector: { status: 'Unlocked' },
      CostUpdated: {},
    });
    const request = {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    };
    expect((await send(station, 'get-variables', request).expect(200)).body).toEqual({ getVariableResult });
    expect(received.at(-1)).toEqual({ action: 'GetVariables', params: request });

    const calls: [string, object, object][] = [
      [
        'set-variables',
        {
          setVariableData: [
            {
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'HeartbeatInterval' },
              attributeValue: '60',
            },
          ],
        },
        { setVariableResult: [expect.objectContaining({ attributeStatus: 'Accepted' })] },
      ],
      ['get-base-report', { requestId: 3, reportBase: 'FullInventory' }, { status: 'Accepted' }],
      [
        'get-log',
        { logType: 'DiagnosticsLog', requestId: 4, log: { remoteLocation: 'https://logs.example.com/u' } },
        { status: 'Accepted', filename: 'diag.zip' },
      ],
      ['unlock-connector', { evseId: 1, connectorId: 1 }, { status: 'Unlocked' }],
      ['cost-updated', { totalCost: 1.25, transactionId: 'tx-1' }, {}],
    ];
    for (const [command, body, reply] of calls) {
      expect((await send(station, command, body).expect(200)).body).toEqual(reply);
      expect(received.at(-1)?.params).toEqual(body);
    }
    // Audited like every command, in the 2.0.1 action's name.
    const audit = await t.http
      .get(`/api/v1/stations/${station.id}/commands/audit?action=GetVariables`)
      .set(admin.auth)
      .expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'GetVariables', request })]);
  });

  it('translates the 1.6 command names and bodies for a 2.0.1 station', async () => {
    const { station, received } = await aStation201({
      Reset: { status: 'Scheduled' },
      UnlockConnector: { status: 'Unlocked' },
      ChangeAvailability: { status: 'Accepted' },
      TriggerMessage: { status: 'Accepted' },
      ClearCache: { status: 'Accepted' },
      DataTransfer: { status: 'Accepted', data: 'pong' },
    });
    const cases: [string, object, string, object, object][] = [
      ['reset', { type: 'Soft' }, 'Reset', { type: 'OnIdle' }, { status: 'Scheduled' }],
      ['reset', { type: 'Hard' }, 'Reset', { type: 'Immediate' }, { status: 'Scheduled' }],
      [
        'unlock',
        { connectorId: 2 },
        'UnlockConnector',
        { evseId: 2, connectorId: 1 },
        { status: 'Unlocked' },
      ],
      [
        'change-availability',
        { connectorId: 1, type: 'Inoperative' },
        'ChangeAvailability',
        { operationalStatus: 'Inoperative', evse: { id: 1 } },
        { status: 'Accepted' },
      ],
      [
        'change-availability',
        { connectorId: 0, type: 'Operative' },
        'ChangeAvailability',
        { operationalStatus: 'Operative' },
        { status: 'Accepted' },
      ],
      [
        'trigger-message',
        { requestedMessage: 'StatusNotification', connectorId: 1 },
        'TriggerMessage',
        { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
        { status: 'Accepted' },
      ],
      [
        'trigger-message',
        { requestedMessage: 'DiagnosticsStatusNotification' },
        'TriggerMessage',
        { requestedMessage: 'LogStatusNotification' },
        { status: 'Accepted' },
      ],
      ['clear-cache', {}, 'ClearCache', {}, { status: 'Accepted' }],
      [
        'data-transfer',
        { vendorId: 'com.example', data: 'ping' },
        'DataTransfer',
        { vendorId: 'com.example', data: 'ping' },
        { status: 'Accepted', data: 'pong' },
      ],
    ];
    for (const [command, body, action, params, reply] of cases) {
      expect((await send(station, command, body).expect(200)).body).toEqual(reply);
      expect(received.at(-1)).toEqual({ action, params });
    }
  });

  it('sends update-firmware as UpdateFirmware and get-diagnostics as GetLog to a 2.0.1 station', async () => {
    const { station, received } = await aStation201({
      UpdateFirmware: { status: 'Accepted' },
      GetLog: { status: 'Accepted', filename: 'diag-1.zip' },
    });
    const firmware = await send(station, 'update-firmware', {
      location: 'https://firmware.example.com/v2.bin',
      retries: 2,
    }).expect(200);
    expect(firmware.body).toMatchObject({ status: 'Accepted', firmwareUpdateId: expect.any(String) });
    expect(received.at(-1)).toEqual({
      action: 'UpdateFirmware',
      params: {
        requestId: expect.any(Number),
        firmware: { location: 'https://firmware.example.com/v2.bin', retrieveDateTime: expect.any(String) },
        retries: 2,
      },
    });
    const diagnostics = await send(station, 'get-diagnostics', {}).expect(200);
    expect(diagnostics.body).toMatchObject({
      status: 'Accepted',
      fileName: 'diag-1.zip',
      diagnosticsId: expect.any(String),
    });
    const getLog = received.at(-1) as {
      action: string;
      params: { logType: string; log: { remoteLocation: string } };
    };
    expect(getLog.action).toBe('GetLog');
    expect(getLog.params.logType).toBe('DiagnosticsLog');
    // Kilowatt's own one-time upload URL, as for a 1.6 GetDiagnostics.
    expect(getLog.params.log.remoteLocation).toMatch(/\/api\/v1\/diagnostics-uploads\/[A-Za-z0-9_-]+$/);
  });

  it('answers 409 UNSUPPORTED_BY_PROTOCOL for a command the station’s protocol does not have', async () => {
    const { station, received } = await aStation201();
    for (const [command, body] of [
      ['get-configuration', {}],
      ['change-configuration', { key: 'HeartbeatInterval', value: '60' }],
    ] as const) {
      const res = await send(station, command, body).expect(409);
      expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
    }
    expect(received).toEqual([]);

    const station16 = await aRegisteredStation(t, admin);
    const charger16 = await aCharger(t, station16);
    open.push(charger16);
    const res = await send(station16, 'get-variables', { getVariableData: [] }).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'UNSUPPORTED_BY_PROTOCOL' });
  });

  it('refuses a body the 2.0.1 schema refuses, naming the field, before anything is sent', async () => {
    const { station, received } = await aStation201();
    const res = await send(station, 'get-base-report', {
      requestId: 'one',
      reportBase: 'FullInventory',
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.body.details.fields).toEqual([expect.objectContaining({ field: 'requestId' })]);
    expect((await send(station, 'not-a-command', {}).expect(404)).body.code).toBe('NOT_FOUND');
    expect(received).toEqual([]);
  });

  it('keeps transactions and the station password on their own routes', async () => {
    const { station, received } = await aStation201();
    await send(station, 'request-start-transaction', {
      idToken: { idToken: 'X', type: 'Central' },
      remoteStartId: 1,
    }).expect(400);
    await send(station, 'set-variables', {
      setVariableData: [
        {
          component: { name: 'SecurityCtrlr' },
          variable: { name: 'BasicAuthPassword' },
          attributeValue: 'x'.repeat(20),
        },
      ],
    }).expect(400);
    expect(received).toEqual([]);
  });

  it('maps a CALLERROR, an offline station, a user and a foreign tenant as for 1.6', async () => {
    const { station, charger } = await aStation201();
    charger.handle('GetBaseReport', async () => {
      throw Object.assign(new Error('nope'), { rpcErrorCode: 'NotSupported' });
    });
    const failed = await send(station, 'get-base-report', {
      requestId: 9,
      reportBase: 'FullInventory',
    }).expect(502);
    expect(failed.body).toMatchObject({ code: 'CHARGER_ERROR' });

    const user = await aUser(t);
    await send(station, 'get-base-report', { requestId: 9, reportBase: 'FullInventory' }, user).expect(403);
    const other = await aTenantWithAdmin(t);
    await send(station, 'get-base-report', { requestId: 9, reportBase: 'FullInventory' }, other.admin).expect(
      404,
    );

    await charger.close();
    const res = await send(station, 'get-base-report', { requestId: 9, reportBase: 'FullInventory' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('STATION_OFFLINE');
  });
});
