import type { RPCClient } from 'ocpp-rpc';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { aCharger201 } from '../factories/charger201';
import { aCharger, eventually } from '../factories/chargers';
import { CommandStation, aRegisteredStation } from './commands.helpers';

interface Item {
  componentName: string;
  evseId: number | null;
  connectorId: number | null;
  variableName: string;
  variableInstance: string | null;
  value: string | null;
  lastSetStatus: string | null;
}

const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

describe('the OCPP 2.0.1 device model: reported, listed and set', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let sim: ChargingStation201;

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
    station = await aRegisteredStation(t, admin);
    sim = new ChargingStation201({
      url: `${t.wsUrl}/ocpp`,
      chargePointId: station.chargePointId,
      evses: 2,
      meterIntervalMs: 0,
      callTimeoutMs: 5000,
    });
    await sim.connect();
    await sim.boot();
  });
  afterAll(async () => {
    await sim?.close();
    await t.close();
  });

  const list = (s: CommandStation, query = '', who = admin) =>
    t.http.get(`/api/v1/stations/${s.id}/variables${query}`).set(who.auth);
  const set = (s: CommandStation, setVariableData: object[], who = admin) =>
    t.http.put(`/api/v1/stations/${s.id}/variables`).set(who.auth).send({ setVariableData });

  /** Every item of the station's device model, page by page. */
  async function everything(s: CommandStation, limit = 200): Promise<Item[]> {
    const items: Item[] = [];
    for (let cursor = ''; ;) {
      const res = await list(s, `?limit=${limit}${cursor}`).expect(200);
      items.push(...res.body.items);
      if (!res.body.nextCursor) return items;
      cursor = `&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
  }

  it('asks a station for its full inventory after its first boot and stores every part of the report', async () => {
    // 13 station-wide variables and 3 per EVSE, reported in parts of 10.
    const items = await eventually(async () => {
      const all = await everything(station, 5);
      expect(all).toHaveLength(19);
      return all;
    });
    expect(items).toContainEqual(
      expect.objectContaining({
        componentName: 'OCPPCommCtrlr',
        variableName: 'HeartbeatInterval',
        attributeType: 'Actual',
        value: '300',
        mutability: 'ReadWrite',
        characteristics: { dataType: 'integer', unit: 's', minLimit: 1, supportsMonitoring: false },
        lastSetStatus: null,
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ componentName: 'Connector', evseId: 2, connectorId: 1, value: 'cType2' }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        variableName: 'ItemsPerMessage',
        variableInstance: 'GetReport',
        value: '10',
      }),
    );
  });

  it('filters by exact component and variable names', async () => {
    const one = (await list(station, '?component=OCPPCommCtrlr&variable=HeartbeatInterval').expect(200)).body;
    expect(one.items).toEqual([expect.objectContaining({ componentName: 'OCPPCommCtrlr', value: '300' })]);
    const evses = (await list(station, '?component=EVSE').expect(200)).body.items as Item[];
    expect(evses.map((i) => `${i.evseId}.${i.variableName}`).sort()).toEqual([
      '1.AvailabilityState',
      '1.Power',
      '2.AvailabilityState',
      '2.Power',
    ]);
    expect((await list(station, '?component=OCPPComm').expect(200)).body.items).toEqual([]);
    await list(station, '?limit=0').expect(400);
    await list(station, '?cursor=forged').expect(400);
  });

  it('sets variables, stores each result and the accepted values, and the next report agrees', async () => {
    const res = await set(station, [
      { ...heartbeat, attributeValue: '600' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NoSuchVariable' }, attributeValue: '1' },
      { component: { name: 'NoSuchCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'true' },
      { component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' }, attributeValue: '3' },
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'NetworkConfigurationPriority' },
        attributeValue: '1',
      },
    ]).expect(200);
    expect(res.body.setVariableResult.map((r: { attributeStatus: string }) => r.attributeStatus)).toEqual([
      'Accepted',
      'UnknownVariable',
      'UnknownComponent',
      'Rejected',
      'RebootRequired',
    ]);
    expect(res.body.setVariableResult[0]).toEqual({
      ...heartbeat,
      attributeType: 'Actual',
      attributeStatus: 'Accepted',
    });

    const byName = async (component: string, variable: string) =>
      (await list(station, `?component=${component}&variable=${variable}`).expect(200)).body.items;
    expect(await byName('OCPPCommCtrlr', 'HeartbeatInterval')).toEqual([
      expect.objectContaining({ value: '600', lastSetStatus: 'Accepted', lastSetValue: '600' }),
    ]);
    expect(await byName('OCPPCommCtrlr', 'NoSuchVariable')).toEqual([
      expect.objectContaining({ value: null, lastSetStatus: 'UnknownVariable', lastSetValue: '1' }),
    ]);
    expect(await byName('SecurityCtrlr', 'SecurityProfile')).toEqual([
      expect.objectContaining({ value: '1', lastSetStatus: 'Rejected', lastSetValue: '3' }),
    ]);

    // A report asked for later shows the value the station kept.
    sim.deviceModel.put('OCPPCommCtrlr', 'HeartbeatInterval', '601');
    await t.http
      .post(`/api/v1/stations/${station.id}/commands/get-base-report`)
      .set(admin.auth)
      .send({ requestId: 77, reportBase: 'FullInventory' })
      .expect(200);
    await eventually(async () =>
      expect(await byName('OCPPCommCtrlr', 'HeartbeatInterval')).toEqual([
        expect.objectContaining({ value: '601', lastSetStatus: 'Accepted' }),
      ]),
    );
    const audit = (
      await t.http.get(`/api/v1/stations/${station.id}/commands/audit`).set(admin.auth).expect(200)
    ).body.items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'SetVariables' }));
  });

  it('validates the body: 1..100 items, names up to 50 characters, values up to 1000', async () => {
    await set(station, []).expect(400);
    const long = await set(station, [
      { component: { name: 'x'.repeat(51) }, variable: { name: 'HeartbeatInterval' }, attributeValue: '1' },
    ]).expect(400);
    expect(long.body.details.fields).toEqual([
      expect.objectContaining({ field: 'setVariableData.0.component.name' }),
    ]);
    await set(station, [{ ...heartbeat, attributeValue: 'x'.repeat(1001) }]).expect(400);
    await set(station, [{ ...heartbeat, attributeValue: '1', attributeType: 'Sideways' }]).expect(400);
    await set(station, [
      {
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
        attributeValue: 'x'.repeat(16),
      },
    ]).expect(400);
  });

  it('keeps the device model to the station’s tenant and its admins', async () => {
    const other = await aTenantWithAdmin(t);
    await list(station, '', other.admin).expect(404);
    await set(station, [{ ...heartbeat, attributeValue: '60' }], other.admin).expect(404);
    const user = await aUser(t);
    await list(station, '', user).expect(403);
    await set(station, [{ ...heartbeat, attributeValue: '60' }], user).expect(403);
  });

  it('answers 409 UNSUPPORTED_BY_PROTOCOL for a 1.6 station', async () => {
    const station16 = await aRegisteredStation(t, admin);
    const charger = await aCharger(t, station16);
    try {
      const res = await set(station16, [{ ...heartbeat, attributeValue: '60' }]).expect(409);
      expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
      expect((await list(station16).expect(200)).body.items).toEqual([]);
    } finally {
      await charger.close();
    }
  });

  describe('a station that reports badly', () => {
    let bare: CommandStation;
    let charger: RPCClient;

    beforeAll(async () => {
      bare = await aRegisteredStation(t, admin);
      // Answers the GetBaseReport after its boot with NotImplemented: nothing is stored from it.
      charger = await aCharger201(t, bare);
    });
    afterAll(async () => {
      await charger?.close({ force: true });
    });

    const part = (seqNo: number, from: number, count: number, tbc: boolean) => ({
      requestId: 5,
      generatedAt: new Date().toISOString(),
      seqNo,
      ...(tbc && { tbc }),
      reportData: Array.from({ length: count }, (_, i) => ({
        component: { name: `Ctrlr${Math.floor((from + i) / 100)}`, evse: { id: (from + i) % 3 } },
        variable: { name: `Variable${from + i}` },
        variableAttribute: [{ value: String(from + i) }],
      })),
    });

    it('stores a report of 2000 variables in four parts completely, a repeated part once', async () => {
      await charger.call('NotifyReport', part(0, 0, 500, true));
      await charger.call('NotifyReport', part(1, 500, 500, true));
      await charger.call('NotifyReport', part(1, 500, 500, true));
      await Promise.all([
        charger.call('NotifyReport', part(2, 1000, 500, true)),
        charger.call('NotifyReport', part(3, 1500, 500, false)),
      ]);
      // Answered only once committed: everything is readable right away.
      const items = await everything(bare);
      expect(items).toHaveLength(2000);
      expect(new Set(items.map((i) => i.variableName)).size).toBe(2000);
      expect(items.find((i) => i.variableName === 'Variable1999')).toMatchObject({
        componentName: 'Ctrlr19',
        evseId: 1999 % 3,
        value: '1999',
      });
    });

    it('keeps a value with a NUL byte or a lone surrogate, marked with U+FFFD, and answers', async () => {
      const reply = await charger.call('NotifyReport', {
        requestId: 6,
        generatedAt: new Date().toISOString(),
        seqNo: 0,
        reportData: [
          {
            component: { name: 'NulCtrlr' },
            variable: { name: 'Model' },
            variableAttribute: [{ value: 'KW\u0000201' }, { type: 'Target', value: 'half\uD800' }],
          },
        ],
      });
      expect(reply).toEqual({});
      const items = (await list(bare, '?component=NulCtrlr').expect(200)).body.items;
      expect(items.map((i: Item) => i.value).sort()).toEqual(['KW\uFFFD201', 'half\uFFFD']);
    });

    it('takes a report with only the required fields and a value of 2500 characters', async () => {
      await charger.call('NotifyReport', {
        requestId: 7,
        generatedAt: new Date().toISOString(),
        seqNo: 0,
        reportData: [
          { component: { name: 'Bare' }, variable: { name: 'NoValue' }, variableAttribute: [{}] },
          {
            component: { name: 'Bare' },
            variable: { name: 'Long' },
            variableAttribute: [{ value: 'v'.repeat(2500) }],
          },
        ],
      });
      const items = (await list(bare, '?component=Bare').expect(200)).body.items;
      expect(items).toHaveLength(2);
      expect(items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            variableName: 'NoValue',
            value: null,
            mutability: 'ReadWrite',
            characteristics: null,
          }),
          expect.objectContaining({ variableName: 'Long', value: 'v'.repeat(2500) }),
        ]),
      );
    });
  });
});
