import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { aConnector, aStation, withConnectorStatus } from '../factories/stations';
import { StationsRepository } from '../../src/stations/stations.repository';

const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) =>
  (body.details?.fields ?? []).map((f) => f.field).sort();

describe('station connectors and docs', () => {
  let t: TestApp;
  let admin: TestAccount;
  let user: TestAccount;

  beforeAll(async () => {
    t = await startApp();
    [admin, user] = await Promise.all([aDefaultTenantAdmin(t), aUser(t)]);
  });
  afterAll(() => t.close());
  describe('connectors', () => {
    it('shows the live status the charger last reported, with type and power set by an admin', async () => {
      const s = await aStation(t, admin);
      await withConnectorStatus(t, s.id, 2, 'Available');
      await withConnectorStatus(t, s.id, 1, 'Charging');
      const patched = await t.http
        .patch(`/api/v1/stations/${s.id}/connectors/1`)
        .set(admin.auth)
        .send({ type: 'CCS2', maxPowerW: 150000 })
        .expect(200);
      expect(patched.body).toMatchObject({
        connectorId: 1,
        status: 'Charging',
        type: 'CCS2',
        maxPowerW: 150000,
      });

      await withConnectorStatus(t, s.id, 1, 'Faulted', { errorCode: 'GroundFailure', info: 'RCD tripped' });
      const res = await t.http.get(`/api/v1/stations/${s.id}`).set(user.auth).expect(200);
      expect(res.body.connectors).toEqual([
        expect.objectContaining({
          connectorId: 1,
          status: 'Faulted',
          errorCode: 'GroundFailure',
          info: 'RCD tripped',
          type: 'CCS2',
          maxPowerW: 150000,
        }),
        expect.objectContaining({ connectorId: 2, status: 'Available', errorCode: 'NoError', type: null }),
      ]);
    });

    it('creates a connector an admin describes before the charger reports it', async () => {
      const s = await aStation(t, admin);
      await t.http
        .patch(`/api/v1/stations/${s.id}/connectors/3`)
        .set(admin.auth)
        .send({ type: 'Type2' })
        .expect(200);
      const res = await t.http.get(`/api/v1/stations/${s.id}`).set(admin.auth).expect(200);
      expect(res.body.connectors).toEqual([
        expect.objectContaining({ connectorId: 3, status: 'Unknown', type: 'Type2', statusAt: null }),
      ]);
    });

    it.each([
      ['0', {}, ['connectorId']],
      ['abc', {}, ['connectorId']],
      ['1', { maxPowerW: 0 }, ['maxPowerW']],
      ['1', { type: 'x'.repeat(40) }, ['type']],
    ])('refuses connector %s with %j', async (n, body, fields) => {
      const s = await aStation(t, admin);
      const res = await t.http
        .patch(`/api/v1/stations/${s.id}/connectors/${n}`)
        .set(admin.auth)
        .send(body)
        .expect(400);
      expect(fieldsOf(res.body)).toEqual(fields);
    });
  });

  it('deletes a station with its connectors', async () => {
    const s = await aStation(t, admin);
    await withConnectorStatus(t, s.id, 1, 'Available');
    await t.http.delete(`/api/v1/stations/${s.id}`).set(admin.auth).expect(204);
    await t.http.get(`/api/v1/stations/${s.id}`).set(admin.auth).expect(404);
    expect(await t.app.get(StationsRepository).connectorsOf(null, [s.id])).toEqual([]);
  });

  it("shows a connector's reported status together with the type and power an admin set", async () => {
    const s = await aStation(t, admin);
    await aConnector(t, admin, s.id, 1, { status: 'Preparing', type: 'Type2', maxPowerW: 22000 });
    const res = await t.http.get(`/api/v1/stations/${s.id}`).set(admin.auth).expect(200);
    expect(res.body.connectors[0]).toMatchObject({ status: 'Preparing', type: 'Type2', maxPowerW: 22000 });
  });

  it('documents every station, site, tariff and QR route in Swagger with its roles and errors', async () => {
    const { body } = await t.http.get('/docs-json').expect(200);
    const routes: [string, string][] = [
      ['/api/v1/sites', 'get'],
      ['/api/v1/sites', 'post'],
      ['/api/v1/sites/{id}', 'patch'],
      ['/api/v1/sites/{id}', 'delete'],
      ['/api/v1/sites/{id}/qr-sheet', 'get'],
      ['/api/v1/stations', 'get'],
      ['/api/v1/stations', 'post'],
      ['/api/v1/stations/{id}', 'get'],
      ['/api/v1/stations/{id}', 'patch'],
      ['/api/v1/stations/{id}', 'delete'],
      ['/api/v1/stations/{id}/password', 'put'],
      ['/api/v1/stations/{id}/connectors/{connectorId}', 'patch'],
      ['/api/v1/stations/{id}/connectors/{connectorId}', 'delete'],
      ['/api/v1/stations/{id}/connectors/{connectorId}/qr', 'get'],
      ['/api/v1/stations/{id}/tariff', 'get'],
      ['/api/v1/tariffs', 'get'],
      ['/api/v1/tariffs', 'post'],
      ['/api/v1/tariffs/{id}', 'get'],
      ['/api/v1/tariffs/{id}', 'patch'],
      ['/api/v1/tariffs/{id}', 'delete'],
    ];
    for (const [path, method] of routes) {
      const op = body.paths[path]?.[method];
      expect({ path, method, summary: typeof op?.summary }).toEqual({ path, method, summary: 'string' });
      expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(Object.keys(body.components.schemas.StationResponse.properties)).toEqual(
      expect.arrayContaining(['chargePointId', 'online', 'lastSeenAt', 'connectors', 'firmwareVersion']),
    );
    expect(Object.keys(body.components.schemas.ConnectorResponse.properties)).toEqual(
      expect.arrayContaining([
        'status',
        'errorCode',
        'evseId',
        'standard',
        'format',
        'powerType',
        'maxPowerW',
      ]),
    );
    expect(body.components.schemas.DeclaredConnectorDto.required).toEqual(
      expect.arrayContaining(['connectorId', 'standard', 'format', 'powerType', 'maxPowerW']),
    );
  });
});
