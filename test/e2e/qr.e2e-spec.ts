import * as QRCode from 'qrcode';
import type { Response } from 'superagent';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser, theRoot } from '../factories/accounts';
import { aConnector, aSite, aStation, withConnectorStatus } from '../factories/stations';
import { parseConnectorQr } from '../../src/stations/qr-payload';

// pngjs comes with qrcode (which writes its PNGs with it) and ships no types; only its reader is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(png: Buffer): { width: number; height: number; data: Buffer } } };
};

/** Collects the raw body whatever its type. */
const raw = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Reads the module grid out of the PNG (margin 2, 8 px per module) as rows of 0/1. */
function pngModules(png: Buffer): number[][] {
  const image = PNG.sync.read(png);
  const size = image.width / 8 - 4;
  return Array.from({ length: size }, (_, r) =>
    Array.from({ length: size }, (_, c) => {
      const [x, y] = [(c + 2) * 8 + 4, (r + 2) * 8 + 4];
      return image.data[(y * image.width + x) * 4] < 128 ? 1 : 0;
    }),
  );
}

function expectedModules(payload: string): number[][] {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, r) =>
    Array.from({ length: modules.size }, (_, c) => (modules.get(r, c) ? 1 : 0)),
  );
}

describe('QR codes', () => {
  let t: TestApp;
  let admin: TestAccount;
  let user: TestAccount;
  let station: { id: string; chargePointId: string };

  beforeAll(async () => {
    t = await startApp();
    [admin, user] = await Promise.all([aDefaultTenantAdmin(t), aUser(t)]);
    station = await aStation(t, admin, { chargePointId: 'QR:CP*01' });
    await withConnectorStatus(t, station.id, 1, 'Available');
    await withConnectorStatus(t, station.id, 2, 'Charging');
  });
  afterAll(() => t.close());

  const url = (n: number, q = '') => `/api/v1/stations/${station.id}/connectors/${n}/qr${q}`;
  const payload = (n: number) => `ocpp://QR%3ACP*01?connector=${n}`;

  it('answers a PNG by default whose modules are exactly the QR symbol of the payload', async () => {
    const res = await t.http.get(url(2)).set(user.auth).buffer(true).parse(raw).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngModules(body)).toEqual(expectedModules(payload(2)));
    expect(pngModules(body)).not.toEqual(expectedModules(payload(1)));
  });

  it.each([
    ['?format=svg', {}],
    ['', { Accept: 'image/svg+xml' }],
  ])(
    'answers an SVG for %s %j that names its payload, which parses back to the connector',
    async (q, headers) => {
      const res = await t.http.get(url(1, q)).set(user.auth).set(headers).buffer(true).parse(raw).expect(200);
      expect(res.headers['content-type']).toContain('image/svg+xml');
      const svg = (res.body as Buffer).toString('utf8');
      expect(svg).toMatch(/^<svg [^>]*role="img"/);
      expect(svg).toContain(`aria-label="${payload(1)}"`);
      const title = /<title>([^<]+)<\/title>/.exec(svg)![1];
      expect(title).toBe(payload(1));
      expect(parseConnectorQr(title)).toEqual({ chargePointId: 'QR:CP*01', connectorId: 1 });
      expect(svg).toContain('<path');
    },
  );

  it('prefers ?format over the Accept header', async () => {
    const res = await t.http
      .get(url(1, '?format=png'))
      .set(user.auth)
      .set('Accept', 'image/svg+xml')
      .buffer(true)
      .parse(raw);
    expect(res.headers['content-type']).toBe('image/png');
  });

  it('answers 400 for an unknown format or a bad connector number, 404 for a connector not reported', async () => {
    const gif = await t.http.get(url(1, '?format=gif')).set(user.auth).expect(400);
    expect(gif.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['format']);
    const zero = await t.http.get(url(0)).set(user.auth).expect(400);
    expect(zero.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['connectorId']);
    const missing = await t.http.get(url(9)).set(user.auth).expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  describe('printable sheet of a site', () => {
    it('lists a labelled QR code for every connector of every station of the site, and nothing else', async () => {
      const site = await aSite(t, admin, { name: 'Depot <North>' });
      const a = await aStation(t, admin, { siteId: site.id, name: 'Bay A' });
      const b = await aStation(t, admin, { siteId: site.id });
      const elsewhere = await aStation(t, admin);
      await aConnector(t, admin, a.id, 1, { type: 'CCS2', maxPowerW: 150000 });
      await aConnector(t, admin, a.id, 2);
      await aConnector(t, admin, b.id, 1);
      await aConnector(t, admin, elsewhere.id, 1);

      for (const who of [admin, await theRoot(t)]) {
        const res = await t.http.get(`/api/v1/sites/${site.id}/qr-sheet`).set(who.auth).expect(200);
        expect(res.headers['content-type']).toContain('text/html');
        const html = res.text;
        expect(html).toContain('Depot &lt;North&gt;');
        expect(html.match(/<svg /g)).toHaveLength(3);
        for (const [cp, n] of [
          [a.chargePointId, 1],
          [a.chargePointId, 2],
          [b.chargePointId, 1],
        ] as const) {
          expect(html).toContain(`<title>ocpp://${encodeURIComponent(cp)}?connector=${n}</title>`);
          expect(html).toContain(`${cp} · Connector ${n}`);
        }
        expect(html).toContain('Bay A');
        expect(html).toContain('CCS2 · 150 kW');
        expect(html).not.toContain(elsewhere.chargePointId);
      }
    });

    it('says so when the site has no connectors yet', async () => {
      const site = await aSite(t, admin);
      const res = await t.http.get(`/api/v1/sites/${site.id}/qr-sheet`).set(admin.auth).expect(200);
      expect(res.text).toContain('no connectors yet');
      expect(res.text).not.toContain('<svg');
    });

    it('answers an unknown site with a JSON error, not one labelled as HTML', async () => {
      const res = await t.http
        .get('/api/v1/sites/00000000-0000-4000-8000-000000000000/qr-sheet')
        .set(admin.auth)
        .expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });
  });
});
