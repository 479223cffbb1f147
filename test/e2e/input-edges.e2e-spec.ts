import fc from 'fast-check';
import * as client from '../../examples/typescript-client/kilowatt-client';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, theRoot } from '../factories/accounts';
import { aSite, aStation, aTariff } from '../factories/stations';
import { aSecuredKey, signedRequest } from './integrator.helpers';

type ErrorBody = {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  details?: { fields?: { field: string }[] };
};

const fieldsOf = (body: ErrorBody) => (body.details?.fields ?? []).map((f) => f.field);

/** A 400 VALIDATION_FAILED in the error shape, naming `field`. */
function expectFieldRefused(res: { status: number; body: ErrorBody }, field: string) {
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect(res.body.statusCode).toBe(400);
  expect(res.body.error).toBe('Bad Request');
  expect(typeof res.body.message).toBe('string');
  expect(fieldsOf(res.body)).toContain(field);
}

const cursorOf = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
/** Cursors this server never makes: wrong encoding, shape, key or id for every list. */
const FORGED_CURSORS = [
  'zzz',
  cursorOf(null),
  cursorOf([1]),
  cursorOf({ k: 1, id: 2 }),
  cursorOf({ k: 'x', id: 'y' }),
  cursorOf({ k: '2026-01-01T00:00:00.000Z', id: 'y' }),
  cursorOf({ k: '+275760-09-13T00:00:00.000Z', id: '1' }),
  cursorOf({ k: 'a\u0000b', id: ZERO_UUID }),
];
/** Keys that are text to the lists sorted by name, but forged to those sorted by time. */
const FORGED_TIME_KEYS = [
  cursorOf({ k: '99999999999999999999', id: ZERO_UUID }),
  cursorOf({ k: 'abc', id: ZERO_UUID }),
];

describe('input edges: what no column or type can hold is a 400, never a 500', () => {
  let t: TestApp;
  let admin: TestAccount;
  let root: TestAccount;
  let other: { tenantId: string; admin: TestAccount };
  let station: { id: string; chargePointId: string };

  beforeAll(async () => {
    t = await startApp();
    [admin, root, other] = await Promise.all([aDefaultTenantAdmin(t), theRoot(t), aTenantWithAdmin(t)]);
    station = await aStation(t, admin);
  });
  afterAll(() => t.close());

  describe('NUL characters and lone surrogates', () => {
    it.each([
      ['POST /api/login', '/api/login', { username: 'ro\u0000ot', password: 'x' }, 'username'],
      [
        'POST /api/v1/auth/login',
        '/api/v1/auth/login',
        { username: 'root', password: 'a\u0000' },
        'password',
      ],
      [
        'POST /api/signup',
        '/api/signup',
        { username: 'nul\u0000user', password: 'password-123' },
        'username',
      ],
      [
        'POST /api/v1/auth/signup (e-mail)',
        '/api/v1/auth/signup',
        { username: 'surrogate1', password: 'password-123', email: 'a\ud800@x.de' },
        'email',
      ],
    ])('refuses %s before any credential is checked', async (_name, path, body, field) => {
      expectFieldRefused(await t.http.post(path).send(body), field);
    });

    it('refuses a NUL in the body of a guarded route before authentication (400, not 401)', async () => {
      expectFieldRefused(await t.http.post('/api/v1/sites').send({ name: 'a\u0000b' }), 'name');
    });

    it.each([
      ['sites', '/api/v1/sites', { name: 'a\u0000b' }, 'name', false],
      [
        'site opening hours (nested)',
        '/api/v1/sites',
        { name: 'x', openingHours: { mon: [['07:00\u0000', '22:00']] } },
        'openingHours.mon.0.0',
        false,
      ],
      ['tenants', '/api/v1/tenants', { name: 'a\u0000b', slug: 'nulslug' }, 'name', true],
      ['api keys', '/api/v1/api-keys', { name: 'k\udc00', scopes: ['read'] }, 'name', false],
      ['webhooks', '/api/v1/webhooks', { url: 'https://example.com/\u0000', events: ['*'] }, 'url', false],
      ['stations', '/api/v1/stations', { chargePointId: 'CP\u0000' }, 'chargePointId', false],
      ['a key of an object', '/api/v1/sites', { name: 'x', ['a\u0000']: 1 }, 'a\u0000', false],
    ])('refuses %s', async (_name, path, body, field, asRoot) => {
      const res = await t.http
        .post(path)
        .set((asRoot ? root : admin).auth)
        .send(body as object);
      expectFieldRefused(res, field as string);
    });

    it('refuses a NUL in a query string and in a path parameter, naming them', async () => {
      expectFieldRefused(
        await t.http.get('/api/v1/stations?connectorType=%00').set(admin.auth),
        'connectorType',
      );
      expectFieldRefused(await t.http.get('/api/v1/stations/%00').set(admin.auth), 'id');
    });
  });

  it('checks the plaintext of an encrypted body the same way (400 naming the field)', async () => {
    const key = await aSecuredKey(t, other.admin, { requireSignature: true, requireEncryption: true });
    const sealed = (plaintext: string) =>
      JSON.stringify({ encrypted: client.encrypt(key.encryptionKey, plaintext) });
    const nul = await signedRequest(t, key, {
      method: 'POST',
      path: '/api/v1/sites',
      body: sealed('{"name":"a\\u0000b"}'),
    });
    expectFieldRefused(nul.res, 'name');
    const deep = `{"name":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    expectFieldRefused(
      (await signedRequest(t, key, { method: 'POST', path: '/api/v1/sites', body: sealed(deep) })).res,
      'body',
    );
  });

  describe('nesting depth', () => {
    it.each([100, 3000])('refuses a body nested %i deep with 400 naming the body', async (depth) => {
      const body = `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const res = await t.http
        .post('/api/v1/sites')
        .set(admin.auth)
        .set('Content-Type', 'application/json')
        .send(body);
      expectFieldRefused(res, 'body');
    });

    it('still takes the nesting a real request has', async () => {
      await aSite(t, admin, { openingHours: { mon: [['07:00', '22:00']] } });
    });
  });

  describe('cursors', () => {
    const lists = [
      '/api/v1/sites',
      '/api/v1/stations',
      '/api/v1/stations?near=52.5,13.4',
      '/api/v1/tariffs',
      '/api/v1/sessions',
      '/api/v1/sessions/anomalies',
      '/api/v1/users',
      '/api/v1/id-tags',
      '/api/v1/api-keys',
      '/api/v1/webhooks',
      '/api/v1/tenants',
      '/api/v1/security-events',
      '/api/v1/command-audit',
      '/api/v1/reservations',
    ];

    it.each(lists)('answers 400 naming cursor to every forged cursor on %s', async (list) => {
      const who = /tenants|security-events/.test(list) ? root : admin;
      const byName = /sites|stations|tariffs/.test(list);
      for (const cursor of byName ? FORGED_CURSORS : [...FORGED_CURSORS, ...FORGED_TIME_KEYS]) {
        const res = await t.http
          .get(`${list}${list.includes('?') ? '&' : '?'}cursor=${cursor}`)
          .set(who.auth);
        expectFieldRefused(res, 'cursor');
      }
    });

    it('answers 400 naming cursor on the OCPP log', async () => {
      for (const cursor of [...FORGED_CURSORS, ...FORGED_TIME_KEYS]) {
        expectFieldRefused(
          await t.http.get(`/api/v1/stations/${station.id}/ocpp-log?cursor=${cursor}`).set(admin.auth),
          'cursor',
        );
      }
    });

    it('refuses a forged cursor on the CSV export with a JSON 400 before any CSV byte', async () => {
      for (const cursor of [...FORGED_CURSORS, ...FORGED_TIME_KEYS]) {
        const res = await t.http.get(`/api/v1/sessions?format=csv&cursor=${cursor}`).set(admin.auth);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expectFieldRefused(res, 'cursor');
      }
    });

    it('still follows the cursors it made', async () => {
      await Promise.all([aSite(t, admin), aSite(t, admin)]);
      const first = await t.http.get('/api/v1/sites?limit=1').set(admin.auth).expect(200);
      const next = await t.http
        .get(`/api/v1/sites?limit=1&cursor=${first.body.nextCursor}`)
        .set(admin.auth)
        .expect(200);
      expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
    });
  });

  describe('numbers and dates out of range, and null where a value is required', () => {
    it.each([
      ['GET', '/api/v1/stations?minPowerW=1e20', undefined, 'minPowerW'],
      [
        'POST',
        '/api/v1/api-keys',
        { name: 'k', scopes: ['read'], expiresAt: '+275760-09-13T00:00:00.000Z' },
        'expiresAt',
      ],
      [
        'GET',
        '/api/v1/reports/summary?from=2026-01-01T00:00:00Z&to=+275760-09-13T00:00:00.000Z',
        undefined,
        'to',
      ],
      [
        'POST',
        '/api/v1/reservations',
        { stationId: ZERO_UUID, connectorId: 1, expiryDate: '+275760-09-13T00:00:00.000Z', idTag: 'X' },
        'expiryDate',
      ],
      ['POST', 'STATION/commands/cancel-reservation', { reservationId: 2 ** 31 }, 'reservationId'],
      ['POST', 'STATION/commands/clear-charging-profile', { id: 2 ** 31 }, 'id'],
      ['POST', '/api/v1/sites', { name: 'x', timeZone: null }, 'timeZone'],
      ['POST', '/api/v1/auth/login', { username: 'root', password: null }, 'password'],
      ['POST', '/api/v1/users', { username: 'nullpass', password: null }, 'password'],
    ])('%s %s is refused naming the field', async (method, rawPath, body, field) => {
      const path = rawPath.replace('STATION', `/api/v1/stations/${station.id}`);
      const req = method === 'GET' ? t.http.get(path) : t.http.post(path).send(body as object);
      expectFieldRefused(await req.set(admin.auth), field);
    });

    it('refuses null allowAutoRegistration on a tenant', async () => {
      const res = await t.http
        .post('/api/v1/tenants')
        .set(root.auth)
        .send({ name: 'Null tenant', slug: 'null-tenant', allowAutoRegistration: null });
      expectFieldRefused(res, 'allowAutoRegistration');
    });
  });

  describe('references', () => {
    it.each([
      ['/api/v1/sites', { name: 'Elsewhere', tenantId: ZERO_UUID }],
      ['/api/v1/stations', { chargePointId: 'CPNOTENANT', tenantId: ZERO_UUID }],
      ['/api/v1/tariffs', { name: 'T', currency: 'EUR', energyPerKwhMinor: 30, tenantId: ZERO_UUID }],
    ])('answers 404 when root names a tenant that does not exist (%s)', async (path, body) => {
      const res = await t.http.post(path).set(root.auth).send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    });

    it('answers set-charging-profile without its profile with 400 for the own station, 404 for another tenant', async () => {
      const path = `/api/v1/stations/${station.id}/commands/set-charging-profile`;
      expectFieldRefused(
        await t.http.post(path).set(admin.auth).send({ connectorId: 1 }),
        'csChargingProfiles',
      );
      const partial = {
        connectorId: 1,
        csChargingProfiles: {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Absolute',
        },
      };
      expectFieldRefused(
        await t.http.post(path).set(admin.auth).send(partial),
        'csChargingProfiles.chargingSchedule',
      );
      const foreign = await t.http.post(path).set(other.admin.auth).send({ connectorId: 1 });
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    });
  });

  describe('properties over the REST DTOs', () => {
    /** Strings drawn from every UTF-16 code unit, so NULs and unpaired surrogates come often. */
    const anyCodeUnits = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 12,
    });
    const hostile = fc.oneof(
      anyCodeUnits,
      fc.constantFrom(
        '\u0000',
        '\ud800',
        '\udfff',
        'a\u0000b',
        '+275760-09-13T00:00:00.000Z',
        '0000-01-01T00:00:00Z',
      ),
      fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e20, -1e20, 2 ** 53, Number.MAX_VALUE, 0.5),
      fc.constant(null),
      fc.integer(),
    );
    const routes: Array<{ path: string; fields: string[]; asRoot?: boolean }> = [
      {
        path: '/api/v1/sites',
        fields: ['name', 'street', 'city', 'postalCode', 'country', 'latitude', 'longitude', 'timeZone'],
      },
      {
        path: '/api/v1/tenants',
        fields: ['name', 'slug', 'allowAutoRegistration', 'allowUserReservations'],
        asRoot: true,
      },
      { path: '/api/v1/api-keys', fields: ['name', 'scopes', 'expiresAt', 'tenantId'] },
      { path: '/api/v1/webhooks', fields: ['url', 'events', 'description'] },
      {
        path: '/api/v1/stations',
        fields: ['chargePointId', 'name', 'securityProfile', 'password', 'siteId'],
      },
      {
        path: '/api/v1/tariffs',
        fields: ['name', 'currency', 'energyPerKwhMinor', 'sessionFeeMinor', 'validFrom', 'validUntil'],
      },
      { path: '/api/v1/users', fields: ['username', 'password', 'email', 'role'] },
      { path: '/api/v1/id-tags', fields: ['idTag', 'expiresAt', 'parentIdTag', 'vehicleLabel'] },
      { path: '/api/v1/reservations', fields: ['stationId', 'connectorId', 'expiryDate', 'idTag'] },
      { path: '/api/v1/auth/login', fields: ['username', 'password'] },
    ];

    it('never answers 5xx, and every refusal has the error shape', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.array(hostile, { minLength: 10, maxLength: 10 }),
          async (route, values) => {
            const body = Object.fromEntries(route.fields.map((f, i) => [f, values[i % values.length]]));
            const res = await t.http
              .post(route.path)
              .set((route.asRoot ? root : admin).auth)
              .send(body);
            expect(res.status).toBeLessThan(500);
            if (res.status >= 400) {
              expect(res.body).toEqual(
                expect.objectContaining({
                  statusCode: res.status,
                  error: expect.any(String),
                  message: expect.any(String),
                  code: expect.any(String),
                }),
              );
            }
          },
        ),
        { numRuns: 150 },
      );
    });

    it('never answers 5xx to hostile updates', async () => {
      const site = await aSite(t, admin);
      const tariff = await aTariff(t, admin);
      // Updates may disable these: they are this test's own.
      const spare = await aTenantWithAdmin(t);
      const hook = await t.http
        .post('/api/v1/webhooks')
        .set(admin.auth)
        .send({ url: 'https://93.184.216.34/kilowatt-hook', events: ['*'] })
        .expect(201);
      const updates: Array<{ path: string; fields: string[]; asRoot?: boolean }> = [
        {
          path: `/api/v1/sites/${site.id}`,
          fields: ['name', 'city', 'latitude', 'timeZone', 'openingHours'],
        },
        {
          path: `/api/v1/stations/${station.id}`,
          fields: ['name', 'siteId', 'securityProfile', 'password', 'registrationStatus'],
        },
        { path: `/api/v1/stations/${station.id}/connectors/1`, fields: ['type', 'maxPowerW'] },
        {
          path: `/api/v1/tariffs/${tariff.id}`,
          fields: ['name', 'currency', 'energyPerKwhMinor', 'idleGraceMinutes', 'validFrom', 'validUntil'],
        },
        { path: `/api/v1/webhooks/${hook.body.id}`, fields: ['url', 'events', 'active', 'description'] },
        {
          path: `/api/v1/tenants/${spare.tenantId}`,
          fields: ['name', 'status', 'allowAutoRegistration'],
          asRoot: true,
        },
        { path: `/api/v1/users/${spare.admin.userId}`, fields: ['email', 'role', 'status'], asRoot: true },
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...updates),
          fc.array(hostile, { minLength: 6, maxLength: 6 }),
          fc.integer({ min: 1, max: 6 }),
          async (route, values, keep) => {
            const body = Object.fromEntries(route.fields.slice(0, keep).map((f, i) => [f, values[i]]));
            const res = await t.http
              .patch(route.path)
              .set((route.asRoot ? root : admin).auth)
              .send(body);
            expect(res.status).toBeLessThan(500);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('never answers 5xx to hostile query strings on the lists', async () => {
      const lists = [
        '/api/v1/stations',
        '/api/v1/sessions',
        '/api/v1/tariffs',
        '/api/v1/reports/summary',
        '/api/v1/command-audit',
      ];
      const params = [
        'minPowerW',
        'radiusKm',
        'near',
        'from',
        'to',
        'limit',
        'cursor',
        'status',
        'siteId',
        'connectorType',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...lists),
          fc.constantFrom(...params),
          hostile,
          async (list, param, value) => {
            const res = await t.http
              .get(list)
              .query({ [param]: String(value) })
              .set(admin.auth);
            expect(res.status).toBeLessThan(500);
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});
