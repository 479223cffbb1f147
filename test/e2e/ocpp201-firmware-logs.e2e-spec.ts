import { CertificateAuthority } from '../../src/commands/certificate-authority';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { aSimulatedStation201 } from '../factories/charger201';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin } from '../factories/accounts';
import { aCharger, eventually } from '../factories/chargers';
import { CommandStation, aRegisteredStation, commandUrl } from './commands.helpers';

const FIRMWARE = 'https://firmware.example.com/wallbox-2.4.1.bin';
const SIGNATURE = 'MEUCIQDc3JmZ2V0aGlzaXNub3RhcmVhbHNpZ25hdHVyZQ==';

describe('OCPP 2.0.1 firmware and logs: signed firmware, security logs, progress tracked end to end', () => {
  let t: TestApp;
  let admin: TestAccount;
  /** A real certificate to sign firmware with: the app's own CA certificate will do. */
  let CERTIFICATE: string;
  const open: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    t = await startApp();
    ({ admin } = await aTenantWithAdmin(t));
    CERTIFICATE = t.app.get(CertificateAuthority).certPem;
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
  });

  async function aStation(): Promise<{ station: CommandStation; sim: ChargingStation201 }> {
    const station = await aRegisteredStation(t, admin);
    const sim = await aSimulatedStation201(t, station.chargePointId, open);
    return { station, sim };
  }

  async function a16Station(): Promise<CommandStation> {
    const station = await aRegisteredStation(t, admin);
    open.push(await aCharger(t, station));
    return station;
  }

  const send = (station: CommandStation, command: string, body: object) =>
    t.http.post(commandUrl(station, command)).set(admin.auth).send(body);
  const firmwareOf = async (station: CommandStation) =>
    (await t.http.get(`/api/v1/stations/${station.id}/firmware`).set(admin.auth).expect(200)).body;
  const filesOf = async (station: CommandStation) =>
    (await t.http.get(`/api/v1/stations/${station.id}/diagnostics`).set(admin.auth).expect(200)).body.items;
  // The station logs a call once it has the answer, which Kilowatt sends after it committed what the
  // API shows: a test that saw the API change waits for the log too.
  const statusesSent = (sim: ChargingStation201, action: string) =>
    sim.sent.filter((c) => c.action === action).map((c) => (c.params as { status: string }).status);

  it('sends a signed firmware with its certificate, signature and install date and tracks it to Installed', async () => {
    const { station, sim } = await aStation();
    const res = await send(station, 'update-firmware', {
      location: FIRMWARE,
      signingCertificate: CERTIFICATE,
      signature: SIGNATURE,
      installDate: '2026-01-01T00:00:00Z',
      retrieveDate: '2025-12-31T00:00:00Z',
    }).expect(200);
    expect(res.body).toEqual({ status: 'Accepted', firmwareUpdateId: expect.any(String) });
    expect(sim.firmwareAndLogs.firmwareRequests.at(-1)).toEqual({
      requestId: expect.any(Number),
      firmware: {
        location: FIRMWARE,
        retrieveDateTime: '2025-12-31T00:00:00.000Z',
        installDateTime: '2026-01-01T00:00:00.000Z',
        signingCertificate: CERTIFICATE,
        signature: SIGNATURE,
      },
    });
    await eventually(async () => {
      const f = await firmwareOf(station);
      expect(f.updates[0]).toMatchObject({ id: res.body.firmwareUpdateId, status: 'Installed' });
      expect(f.firmwareStatus).toBe('Installed');
    });
    await eventually(async () =>
      expect(statusesSent(sim, 'FirmwareStatusNotification')).toEqual([
        'Downloading',
        'Downloaded',
        'SignatureVerified',
        'Installing',
        'InstallRebooting',
        'Installed',
      ]),
    );
  });

  it('keeps an install scheduled for later as Downloaded, and a bad signature as InstallationFailed', async () => {
    const { station, sim } = await aStation();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await send(station, 'update-firmware', {
      location: FIRMWARE,
      installDate: later,
    }).expect(200);
    await eventually(() =>
      expect(statusesSent(sim, 'FirmwareStatusNotification')).toEqual([
        'Downloading',
        'Downloaded',
        'InstallScheduled',
      ]),
    );
    await eventually(async () => {
      const f = await firmwareOf(station);
      expect(f.updates[0]).toMatchObject({ id: scheduled.body.firmwareUpdateId, status: 'Downloaded' });
      expect(f.firmwareStatus).toBe('InstallScheduled');
    });

    const other = await aStation();
    other.sim.firmwareAndLogs.signatureValid = false;
    const bad = await send(other.station, 'update-firmware', {
      location: FIRMWARE,
      signingCertificate: CERTIFICATE,
      signature: SIGNATURE,
    }).expect(200);
    await eventually(async () => {
      const f = await firmwareOf(other.station);
      expect(f.updates[0]).toMatchObject({ id: bad.body.firmwareUpdateId, status: 'InstallationFailed' });
      expect(f.firmwareStatus).toBe('InvalidSignature');
    });
  });

  it('rolls a signed firmware out: 2.0.1 stations get it, a 1.6 station is rejected with UNSUPPORTED_BY_PROTOCOL', async () => {
    const { station, sim } = await aStation();
    const station16 = await a16Station();
    const res = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({
        location: FIRMWARE,
        signingCertificate: CERTIFICATE,
        signature: SIGNATURE,
        stationIds: [station.id, station16.id],
      })
      .expect(201);
    await eventually(async () => {
      const rollout = (
        await t.http.get(`/api/v1/firmware-rollouts/${res.body.id}`).set(admin.auth).expect(200)
      ).body;
      const byStation = Object.fromEntries(
        rollout.stations.map((s: { stationId: string; status: string; errorCode: string | null }) => [
          s.stationId,
          [s.status, s.errorCode],
        ]),
      );
      expect(byStation).toEqual({
        [station.id]: ['Installed', null],
        [station16.id]: ['rejected', 'UNSUPPORTED_BY_PROTOCOL'],
      });
    });
    expect(sim.firmwareAndLogs.firmwareRequests.at(-1)?.firmware).toMatchObject({
      signingCertificate: CERTIFICATE,
      signature: SIGNATURE,
    });
  });

  it('answers 400 for bad signed-firmware fields and 409 for a 1.6 station given them', async () => {
    const { station, sim } = await aStation();
    const cases: [object, string][] = [
      [{ signingCertificate: 'not a certificate', signature: SIGNATURE }, 'signingCertificate'],
      [
        {
          signingCertificate:
            '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n',
          signature: SIGNATURE,
        },
        'signingCertificate',
      ],
      [{ signingCertificate: CERTIFICATE, signature: 'not base64!' }, 'signature'],
      [{ signingCertificate: CERTIFICATE }, 'signature'],
      [{ signature: SIGNATURE }, 'signingCertificate'],
      [{ signature: 'A'.repeat(801), signingCertificate: CERTIFICATE }, 'signature'],
      [{ installDate: 'soon' }, 'installDate'],
      [{ retrieveDate: '2026-12-05T10:00:00Z', installDate: '2026-12-05T09:00:00Z' }, 'installDate'],
    ];
    for (const [body, field] of cases) {
      const res = await send(station, 'update-firmware', { location: FIRMWARE, ...body }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain(field);
    }
    const rollout = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, signature: SIGNATURE, stationIds: [station.id] })
      .expect(400);
    expect(rollout.body.code).toBe('VALIDATION_FAILED');
    expect(sim.firmwareAndLogs.firmwareRequests).toEqual([]);

    const station16 = await a16Station();
    const res = await send(station16, 'update-firmware', {
      location: FIRMWARE,
      installDate: '2026-12-05T09:00:00Z',
    }).expect(409);
    expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
    // Nothing was recorded for the refused request.
    expect((await firmwareOf(station16)).updates).toEqual([]);
  });

  it('uploads a security log to Kilowatt’s one-time URL and tracks LogStatusNotification to Uploaded', async () => {
    const { station, sim } = await aStation();
    const res = await send(station, 'get-diagnostics', { logType: 'SecurityLog' }).expect(200);
    expect(res.body).toEqual({
      status: 'Accepted',
      fileName: `${station.chargePointId}-security.log`,
      diagnosticsId: expect.any(String),
    });
    const request = sim.firmwareAndLogs.logRequests.at(-1)!;
    expect(request.logType).toBe('SecurityLog');
    expect(request.log.remoteLocation).toMatch(
      new RegExp(`^${t.baseUrl}/api/v1/diagnostics-uploads/[A-Za-z0-9_-]{43}$`),
    );
    const file = await eventually(async () => {
      const [f] = await filesOf(station);
      expect(f).toMatchObject({
        id: res.body.diagnosticsId,
        logType: 'SecurityLog',
        status: 'Uploaded',
        available: true,
      });
      return f;
    });
    const got = await t.http
      .get(`/api/v1/stations/${station.id}/diagnostics/${file.id}`)
      .set(admin.auth)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((got.body as Buffer).toString('utf8')).toContain(`SecurityLog of ${station.chargePointId}`);
    await eventually(async () =>
      expect(statusesSent(sim, 'LogStatusNotification')).toEqual(['Uploading', 'Uploaded']),
    );

    // The default stays the diagnostics log.
    const diagnostics = await send(station, 'get-diagnostics', {}).expect(200);
    expect(sim.firmwareAndLogs.logRequests.at(-1)?.logType).toBe('DiagnosticsLog');
    await eventually(async () => {
      const files = await filesOf(station);
      expect(files.find((f: { id: string }) => f.id === diagnostics.body.diagnosticsId)).toMatchObject({
        logType: 'DiagnosticsLog',
        status: 'Uploaded',
      });
    });
  });

  it('marks an upload the station could not make UploadFailed', async () => {
    const { station, sim } = await aStation();
    sim.firmwareAndLogs.uploadsFail = true;
    const res = await send(station, 'get-diagnostics', { logType: 'SecurityLog' }).expect(200);
    await eventually(async () => {
      const [f] = await filesOf(station);
      expect(f).toMatchObject({ id: res.body.diagnosticsId, status: 'UploadFailed', available: false });
    });
    await eventually(async () =>
      expect(statusesSent(sim, 'LogStatusNotification')).toEqual(['Uploading', 'UploadFailure']),
    );
  });

  it('moves on the update and the upload whose requestId the station names, not just the newest', async () => {
    const { station, sim } = await aStation();
    // The station acknowledges and reports nothing of its own accord: the test speaks for it.
    sim.respond('UpdateFirmware' as never, { status: 'Accepted' } as never);
    sim.respond('GetLog' as never, { status: 'Accepted', filename: 'log.txt' } as never);
    const older = (await send(station, 'update-firmware', { location: FIRMWARE }).expect(200)).body;
    const newer = (await send(station, 'update-firmware', { location: FIRMWARE }).expect(200)).body;
    const [olderId, newerId] = sim.received
      .filter((c) => c.action === 'UpdateFirmware')
      .map((c) => (c.params as { requestId: number }).requestId);
    expect(olderId).not.toBe(newerId);
    const updates = async () =>
      Object.fromEntries(
        (await firmwareOf(station)).updates.map((u: { id: string; status: string }) => [u.id, u.status]),
      );

    await sim.call('FirmwareStatusNotification', { status: 'Downloading', requestId: olderId });
    expect(await updates()).toEqual({
      [older.firmwareUpdateId]: 'Downloading',
      [newer.firmwareUpdateId]: 'sent',
    });
    await sim.call('FirmwareStatusNotification', { status: 'Installed', requestId: newerId });
    expect(await updates()).toEqual({
      [older.firmwareUpdateId]: 'Downloading',
      [newer.firmwareUpdateId]: 'Installed',
    });
    // A request id Kilowatt never sent (another CSMS's update, or none a 32-bit column can hold)
    // moves nothing of ours; the station's own status is still recorded, and it is answered.
    for (const requestId of [olderId + newerId, 2 ** 31 + 7, -3])
      expect(await sim.call('FirmwareStatusNotification', { status: 'Installing', requestId })).toEqual({});
    expect(await updates()).toEqual({
      [older.firmwareUpdateId]: 'Downloading',
      [newer.firmwareUpdateId]: 'Installed',
    });
    expect((await firmwareOf(station)).firmwareStatus).toBe('Installing');

    const first = (await send(station, 'get-diagnostics', {}).expect(200)).body;
    const second = (await send(station, 'get-diagnostics', {}).expect(200)).body;
    const [firstLog] = sim.received
      .filter((c) => c.action === 'GetLog')
      .map((c) => (c.params as { requestId: number }).requestId);
    await sim.call('LogStatusNotification', { status: 'Uploading', requestId: firstLog });
    const statuses = Object.fromEntries(
      (await filesOf(station)).map((f: { id: string; status: string }) => [f.id, f.status]),
    );
    expect(statuses).toEqual({ [first.diagnosticsId]: 'Uploading', [second.diagnosticsId]: 'requested' });
  });

  it('answers 400 for an unknown logType and 409 for a security log of a 1.6 station', async () => {
    const { station } = await aStation();
    const bad = await send(station, 'get-diagnostics', { logType: 'KernelLog' }).expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('logType');
    const station16 = await a16Station();
    const res = await send(station16, 'get-diagnostics', { logType: 'SecurityLog' }).expect(409);
    expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
    expect(await filesOf(station16)).toEqual([]);
    // Its diagnostics log still works as before.
    await send(station16, 'get-diagnostics', { logType: 'DiagnosticsLog' }).expect(200);
  });
});
