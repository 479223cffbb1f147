import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { aSite, aStation, withConnectorStatus } from '../factories/stations';
import { ChargerSimulator } from '../../src/simulator/charger-simulator';

type Connector = Record<string, unknown> & { connectorId: number };

const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) =>
  (body.details?.fields ?? []).map((f) => f.field).sort();

const CCS = {
  connectorId: 1,
  evseId: 1,
  standard: 'IEC_62196_T2_COMBO',
  format: 'CABLE',
  powerType: 'DC',
  maxPowerW: 150000,
  maxVoltageV: 920,
  maxAmperageA: 200,
};
const TYPE2 = {
  connectorId: 2,
  standard: 'IEC_62196_T2',
  format: 'SOCKET',
  powerType: 'AC_3_PHASE',
  maxPowerW: 22000,
};

describe('connectors declared up front', () => {
  let t: TestApp;
  let admin: TestAccount;
  let user: TestAccount;
  const chargers: ChargerSimulator[] = [];

  beforeAll(async () => {
    t = await startApp();
    [admin, user] = await Promise.all([aDefaultTenantAdmin(t), aUser(t)]);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  const connectorsOf = async (stationId: string, who = admin): Promise<Connector[]> =>
    (await t.http.get(`/api/v1/stations/${stationId}`).set(who.auth).expect(200)).body.connectors;

  it("lists the declared connectors with status 'Unknown' before the charger ever connected", async () => {
    const created = await aStation(t, admin, { connectors: [TYPE2, CCS] });
    const declared = [
      {
        ...CCS,
        type: 'CCS2',
        status: 'Unknown',
        errorCode: 'NoError',
        statusAt: null,
        info: null,
        vendorErrorCode: null,
      },
      {
        ...TYPE2,
        evseId: null,
        maxVoltageV: null,
        maxAmperageA: null,
        type: 'Type2',
        status: 'Unknown',
        errorCode: 'NoError',
        statusAt: null,
        info: null,
        vendorErrorCode: null,
      },
    ];
    expect(created.connectors).toEqual(declared);
    expect(await connectorsOf(created.id, user)).toEqual(declared);
    const list = await t.http.get('/api/v1/stations').set(admin.auth).query({ limit: 100 }).expect(200);
    expect(list.body.items.find((s: { id: string }) => s.id === created.id).connectors).toEqual(declared);
  });

  it('answers the QR code and the site sheet of a declared connector before the charger connected', async () => {
    const site = await aSite(t, admin);
    const s = await aStation(t, admin, { siteId: site.id, name: 'Bay Q', connectors: [CCS] });
    const svg = await t.http
      .get(`/api/v1/stations/${s.id}/connectors/1/qr?format=svg`)
      .set(user.auth)
      .buffer(true)
      .expect(200);
    expect(String(svg.text ?? svg.body)).toContain(`<title>ocpp://${s.chargePointId}?connector=1</title>`);
    await t.http.get(`/api/v1/stations/${s.id}/connectors/2/qr`).set(user.auth).expect(404);
    const sheet = await t.http.get(`/api/v1/sites/${site.id}/qr-sheet`).set(admin.auth).expect(200);
    expect(sheet.text).toContain(`${s.chargePointId} · Connector 1`);
    expect(sheet.text).toContain('CCS2 · 150 kW');
  });

  it('fills in the status a charger reports, keeps what was declared and adds a connector nobody declared', async () => {
    const s = await aStation(t, admin, { connectors: [CCS, TYPE2] });
    const charger = new ChargerSimulator({
      url: `${t.wsUrl}/ocpp`,
      chargePointId: s.chargePointId,
      meterIntervalMs: 0,
      powerW: 0,
      callTimeoutMs: 5000,
      connectors: 3,
    });
    chargers.push(charger);
    await charger.connect();
    await charger.boot();
    const timestamp = new Date().toISOString();
    for (const connectorId of [1, 3])
      await charger.call('StatusNotification', {
        connectorId,
        errorCode: 'NoError',
        status: 'Available',
        timestamp,
      });
    const connectors = await eventually(async () => {
      const found = await connectorsOf(s.id);
      if (found.length < 3) throw new Error('connector 3 not there yet');
      return found;
    });
    expect(connectors).toEqual([
      expect.objectContaining({
        ...CCS,
        type: 'CCS2',
        status: 'Available',
        errorCode: 'NoError',
        statusAt: timestamp,
      }),
      expect.objectContaining({ ...TYPE2, status: 'Unknown', statusAt: null }),
      expect.objectContaining({
        connectorId: 3,
        status: 'Available',
        standard: null,
        format: null,
        powerType: null,
        maxPowerW: null,
        type: null,
      }),
    ]);
  });

  it('declares more connectors with PATCH, replaces the listed ones and keeps the others and their status', async () => {
    const s = await aStation(t, admin, { connectors: [CCS, TYPE2] });
    await withConnectorStatus(t, s.id, 1, 'Charging');
    const res = await t.http
      .patch(`/api/v1/stations/${s.id}`)
      .set(admin.auth)
      .send({
        connectors: [
          { connectorId: 1, standard: 'CHADEMO', format: 'CABLE', powerType: 'DC', maxPowerW: 50000 },
          {
            connectorId: 4,
            evseId: 2,
            standard: 'DOMESTIC_F',
            format: 'SOCKET',
            powerType: 'AC_1_PHASE',
            maxPowerW: 3700,
          },
        ],
      })
      .expect(200);
    expect(res.body.connectors).toEqual([
      expect.objectContaining({
        connectorId: 1,
        status: 'Charging',
        standard: 'CHADEMO',
        type: 'CHAdeMO',
        maxPowerW: 50000,
        evseId: null,
        maxVoltageV: null,
        maxAmperageA: null,
      }),
      expect.objectContaining({ ...TYPE2, status: 'Unknown' }),
      expect.objectContaining({ connectorId: 4, evseId: 2, standard: 'DOMESTIC_F', status: 'Unknown' }),
    ]);
    await t.http.patch(`/api/v1/stations/${s.id}`).set(admin.auth).send({ name: 'renamed' }).expect(200);
    expect((await connectorsOf(s.id)).map((c) => c.connectorId)).toEqual([1, 2, 4]);
  });

  it('removes a declared connector the charger never reported, and refuses one it reported', async () => {
    const s = await aStation(t, admin, { connectors: [CCS, TYPE2] });
    await withConnectorStatus(t, s.id, 1, 'Available');
    await t.http.delete(`/api/v1/stations/${s.id}/connectors/2`).set(admin.auth).expect(204);
    const reported = await t.http.delete(`/api/v1/stations/${s.id}/connectors/1`).set(admin.auth).expect(409);
    expect(reported.body.code).toBe('CONFLICT');
    await t.http.delete(`/api/v1/stations/${s.id}/connectors/2`).set(admin.auth).expect(404);
    expect((await connectorsOf(s.id)).map((c) => c.connectorId)).toEqual([1]);
  });

  it('finds declared connectors by type or OCPI standard and by maximum power', async () => {
    const s = await aStation(t, admin, { connectors: [{ ...CCS, maxPowerW: 350000 }] });
    const ids = async (query: Record<string, string | number>) =>
      (
        await t.http
          .get('/api/v1/stations')
          .set(admin.auth)
          .query({ limit: 100, ...query })
          .expect(200)
      ).body.items.map((i: { id: string }) => i.id);
    expect(await ids({ connectorType: 'ccs2', minPowerW: 350000 })).toContain(s.id);
    expect(await ids({ connectorType: 'IEC_62196_T2_COMBO' })).toContain(s.id);
    expect(await ids({ connectorType: 'CHADEMO' })).not.toContain(s.id);
    expect(await ids({ minPowerW: 350001 })).not.toContain(s.id);
  });

  it.each([
    ['an unknown standard', { connectors: [{ ...CCS, standard: 'CCS2' }] }, ['connectors.0.standard']],
    [
      'an unknown format and power type',
      { connectors: [{ ...CCS, format: 'PLUG', powerType: 'AC' }] },
      ['connectors.0.format', 'connectors.0.powerType'],
    ],
    ['a repeated connectorId', { connectors: [CCS, { ...TYPE2, connectorId: 1 }] }, ['connectors']],
    [
      'connectorId and evseId 0',
      { connectors: [{ ...CCS, connectorId: 0, evseId: 0 }] },
      ['connectors.0.connectorId', 'connectors.0.evseId'],
    ],
    [
      'powers and limits out of range',
      { connectors: [{ ...CCS, maxPowerW: 0, maxVoltageV: -1, maxAmperageA: 2 ** 31 }] },
      ['connectors.0.maxAmperageA', 'connectors.0.maxPowerW', 'connectors.0.maxVoltageV'],
    ],
    [
      'missing required facts',
      { connectors: [{ connectorId: 1 }] },
      ['connectors.0.format', 'connectors.0.maxPowerW', 'connectors.0.powerType', 'connectors.0.standard'],
    ],
    ['connectors that is not a list', { connectors: 'CCS2' }, ['connectors']],
  ])('answers 400 naming the fields for %s', async (_label, body, fields) => {
    const created = await t.http
      .post('/api/v1/stations')
      .set(admin.auth)
      .send({ chargePointId: `CPX${Math.random().toString(36).slice(2, 10)}`, ...body })
      .expect(400);
    expect(fieldsOf(created.body)).toEqual(fields);
    const s = await aStation(t, admin);
    const patched = await t.http.patch(`/api/v1/stations/${s.id}`).set(admin.auth).send(body).expect(400);
    expect(fieldsOf(patched.body)).toEqual(fields);
  });

  it("answers 404 for another tenant's station and 403 to a user", async () => {
    const other = await aTenantWithAdmin(t);
    const foreign = await aStation(t, other.admin, { connectors: [CCS] });
    await t.http
      .patch(`/api/v1/stations/${foreign.id}`)
      .set(admin.auth)
      .send({ connectors: [TYPE2] })
      .expect(404);
    await t.http.delete(`/api/v1/stations/${foreign.id}/connectors/1`).set(admin.auth).expect(404);
    await t.http.get(`/api/v1/stations/${foreign.id}/connectors/1/qr`).set(user.auth).expect(404);
    expect((await connectorsOf(foreign.id, other.admin)).map((c) => c.connectorId)).toEqual([1]);

    const own = await aStation(t, admin);
    await t.http
      .patch(`/api/v1/stations/${own.id}`)
      .set(user.auth)
      .send({ connectors: [CCS] })
      .expect(403);
    await t.http
      .post('/api/v1/stations')
      .set(user.auth)
      .send({ chargePointId: `CPU${Date.now()}`, connectors: [CCS] })
      .expect(403);
    await t.http.delete(`/api/v1/stations/${own.id}/connectors/1`).set(user.auth).expect(403);
    expect(await connectorsOf(own.id)).toEqual([]);
  });
});
