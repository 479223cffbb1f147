import { createHash, randomBytes } from 'node:crypto';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { putFile, uploadUrl } from '../../src/simulator/diagnostics';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

const MAX_BYTES = 4096;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('Diagnostics: the charger uploads to a one-time URL of ours and the admin downloads it', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let charger: ChargerSimulator;

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '400', DIAGNOSTICS_MAX_BYTES: String(MAX_BYTES) });
    admin = await aDefaultTenantAdmin(t);
    station = await aRegisteredStation(t, admin);
    charger = await aConnectedCharger(t, station);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  const requestDiagnostics = (body: object = {}) =>
    t.http.post(commandUrl(station, 'get-diagnostics')).set(admin.auth).send(body);
  const files = async () =>
    (await t.http.get(`/api/v1/stations/${station.id}/diagnostics`).set(admin.auth).expect(200)).body.items;
  const download = (fileId: string, who: TestAccount = admin) =>
    t.http
      .get(`/api/v1/stations/${station.id}/diagnostics/${fileId}`)
      .set(who.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('offers our own upload URL, receives the file, tracks the status and serves the same bytes', async () => {
    const res = await requestDiagnostics({ retries: 1, retryInterval: 1 }).expect(200);
    expect(res.body).toEqual({
      status: 'Accepted',
      fileName: expect.stringMatching(new RegExp(`^${station.chargePointId}-diagnostics-`)),
      diagnosticsId: expect.any(String),
    });
    const sent = await charger.waitFor('GetDiagnostics');
    expect(sent.location).toMatch(new RegExp(`^${t.baseUrl}/api/v1/diagnostics-uploads/[A-Za-z0-9_-]{43}$`));
    expect(sent).toMatchObject({ retries: 1, retryInterval: 1 });

    const file = await eventually(async () => {
      const [f] = await files();
      expect(f).toMatchObject({ id: res.body.diagnosticsId, status: 'Uploaded', available: true });
      return f;
    });
    expect(file.fileName).toBe(res.body.fileName);
    const got = await download(file.id).expect(200);
    expect(got.headers['content-disposition']).toContain(`filename="${res.body.fileName}"`);
    const body = got.body as Buffer;
    expect(body.toString('utf8')).toContain(`Diagnostics of ${station.chargePointId}`);
    expect(body.length).toBe(file.sizeBytes);
    expect(sha256(body)).toBe(file.sha256);
    // The upload completes the file before the charger reports Uploaded: wait for its log too.
    await eventually(async () =>
      expect(
        charger.sent.filter((c) => c.action === 'DiagnosticsStatusNotification').map((c) => c.params.status),
      ).toEqual(['Uploading', 'Uploaded']),
    );
  });

  it('stores exactly the bytes uploaded, and the URL works only once', async () => {
    const content = `binary-ish ${randomBytes(600).toString('base64')}\n`;
    let location = '';
    charger.respond('GetDiagnostics', (req) => {
      location = req.location;
      return { fileName: 'exact.log' };
    });
    const res = await requestDiagnostics().expect(200);
    charger.respond('GetDiagnostics', 'default');
    await expect(putFile(uploadUrl(location, 'exact.log'), content)).resolves.toBe(201);

    const got = await download(res.body.diagnosticsId).expect(200);
    expect((got.body as Buffer).toString('utf8')).toBe(content);
    await expect(putFile(uploadUrl(location, 'exact.log'), 'again')).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await download(res.body.diagnosticsId).expect(200)).body.toString('utf8')).toBe(content);
  });

  it('refuses a file over DIAGNOSTICS_MAX_BYTES (413) or sent as JSON (415) and keeps the URL for a retry', async () => {
    let location = '';
    charger.respond('GetDiagnostics', (req) => {
      location = req.location;
      return { fileName: 'big.log' };
    });
    const res = await requestDiagnostics().expect(200);
    charger.respond('GetDiagnostics', 'default');
    await expect(putFile(uploadUrl(location, 'big.log'), 'x'.repeat(MAX_BYTES + 1))).rejects.toMatchObject({
      statusCode: 413,
    });
    const [pending] = await files();
    expect(pending).toMatchObject({ id: res.body.diagnosticsId, available: false });
    await download(res.body.diagnosticsId).expect(404);
    const asJson = await fetch(uploadUrl(location, 'big.log'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"not":"a file"}',
    });
    expect(asJson.status).toBe(415);
    await expect(putFile(uploadUrl(location, 'big.log'), 'small enough')).resolves.toBe(201);
    expect((await download(res.body.diagnosticsId).expect(200)).body.toString('utf8')).toBe('small enough');
  });

  it('answers 404 to an upload with an unknown token', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/diagnostics-uploads/${'a'.repeat(43)}/x.log`, {
      method: 'PUT',
      body: 'data',
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND');
  });

  it('records an UploadFailed from the charger', async () => {
    charger.respond('GetDiagnostics', () => {
      setTimeout(() => void charger.diagnosticsStatusNotification('UploadFailed'), 20);
      return { fileName: 'lost.log' };
    });
    const res = await requestDiagnostics().expect(200);
    charger.respond('GetDiagnostics', 'default');
    await eventually(async () => {
      const f = (await files()).find((x: { id: string }) => x.id === res.body.diagnosticsId);
      expect(f).toMatchObject({ status: 'UploadFailed', available: false });
    });
  });

  it('says Rejected when the charger has no diagnostics to give', async () => {
    charger.respond('GetDiagnostics', {});
    const res = await requestDiagnostics().expect(200);
    charger.respond('GetDiagnostics', 'default');
    expect(res.body).toEqual({ status: 'Rejected', diagnosticsId: expect.any(String) });
  });

  it('passes an admin’s own location through unchanged', async () => {
    const res = await requestDiagnostics({ location: 'ftp://diag.example.com/uploads/' }).expect(200);
    expect(res.body.status).toBe('Accepted');
    expect(res.body.diagnosticsId).toBeUndefined();
    const sent = await charger.waitFor('GetDiagnostics', (p) => p.location.startsWith('ftp:'));
    expect(sent.location).toBe('ftp://diag.example.com/uploads/');
    await charger.whenIdle();
  });

  it('answers 409 for an offline station, 403 for a user and 404 for another tenant', async () => {
    const offline = await aRegisteredStation(t, admin);
    const res = await t.http
      .post(commandUrl(offline, 'get-diagnostics'))
      .set(admin.auth)
      .send({})
      .expect(409);
    expect(res.body.code).toBe('STATION_OFFLINE');
    const [file] = (await files()).filter((f: { available: boolean }) => f.available);
    const user = await aUser(t);
    await download(file.id, user).expect(403);
    const other = await aTenantWithAdmin(t);
    await download(file.id, other.admin).expect(404);
    await t.http.get(`/api/v1/stations/${station.id}/diagnostics`).set(other.admin.auth).expect(404);
  });
});
