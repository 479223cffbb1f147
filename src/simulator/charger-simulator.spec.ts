import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TimeoutError } from 'ocpp-rpc';
import { type TestCentralSystem, connectedSimulator, startCentralSystem } from './central-system.fixture';
import type { ChargerSimulator } from './charger-simulator';
import type { MeterValue, SampledValue } from '../ocpp-types/ocpp16';

describe('ChargerSimulator against a strict ocpp1.6 RPCServer', () => {
  let csms: TestCentralSystem;
  let sim: ChargerSimulator;

  beforeEach(async () => {
    csms = await startCentralSystem();
  });

  afterEach(async () => {
    await sim?.close();
    await csms.close();
  });

  const sampled = (params: Record<string, unknown>): SampledValue[] =>
    (params.meterValue as MeterValue[]).flatMap((m) => m.sampledValue);
  const energyOf = (params: Record<string, unknown>): number =>
    Number(sampled(params).find((v) => v.measurand === 'Energy.Active.Import.Register')?.value);

  it('boots with Basic auth, reports a status and authorizes idTags', async () => {
    sim = await connectedSimulator(csms, { password: 'secret-pass-1', vendor: 'Acme', model: 'Wallbox 22' });

    const boot = await sim.boot();
    await sim.statusNotification(1, 'Available');
    const accepted = await sim.authorize('TAG-OK');
    const refused = await sim.authorize('TAG-UNKNOWN');

    expect(csms.passwords.get('CP001')).toBe('secret-pass-1');
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(sim.heartbeatIntervalSeconds).toBe(300);
    expect(sim.configuration.get('HeartbeatInterval')).toBe('300');
    expect(csms.callsOf('BootNotification')).toEqual([
      expect.objectContaining({
        chargePointVendor: 'Acme',
        chargePointModel: 'Wallbox 22',
        chargePointSerialNumber: 'SIM-CP001',
      }),
    ]);
    expect(csms.callsOf('StatusNotification')).toEqual([
      expect.objectContaining({ connectorId: 1, status: 'Available', errorCode: 'NoError' }),
    ]);
    expect(accepted.idTagInfo.status).toBe('Accepted');
    expect(refused.idTagInfo.status).toBe('Invalid');
    expect(sim.sent.map((c) => c.action)).toEqual([
      'BootNotification',
      'StatusNotification',
      'Authorize',
      'Authorize',
    ]);
  });

  it('runs a local session: Start, MeterValues with an explicit register, Stop', async () => {
    sim = await connectedSimulator(csms);
    await sim.boot();

    const start = await sim.startTransaction({ connectorId: 2, idTag: 'TAG-OK', meterStart: 1500 });
    await sim.meterValues(2, undefined, 4200);
    const stop = await sim.stopTransaction({
      transactionId: start.transactionId,
      meterStop: 9000,
      reason: 'EVDisconnected',
    });

    expect(start).toEqual({ transactionId: 1000, idTagInfo: { status: 'Accepted' } });
    expect(csms.callsOf('StartTransaction')[0]).toMatchObject({
      connectorId: 2,
      idTag: 'TAG-OK',
      meterStart: 1500,
    });
    const meter = csms.callsOf('MeterValues')[0];
    expect(meter).toMatchObject({ connectorId: 2, transactionId: 1000 });
    expect(energyOf(meter)).toBe(4200);
    expect(csms.callsOf('StopTransaction')[0]).toMatchObject({
      transactionId: 1000,
      meterStop: 9000,
      reason: 'EVDisconnected',
    });
    expect(stop.idTagInfo?.status).toBe('Accepted');
    expect(sim.connectors.get(2)?.transaction).toBeUndefined();
    expect(sim.connectors.get(2)?.meter.registerWh).toBe(9000);
  });

  it('starts a transaction and sends periodic MeterValues after RemoteStartTransaction', async () => {
    sim = await connectedSimulator(csms, { powerW: 3_600_000 }); // 1 Wh per millisecond
    await sim.boot();
    const server = await csms.client('CP001');

    const reply = await server.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-OK' });
    const command = await sim.waitFor('RemoteStartTransaction');
    const transaction = await sim.waitForTransaction(1);
    const first = await csms.waitForCall('MeterValues');
    const second = await csms.waitForCall('MeterValues', (p) => p !== first);

    expect(reply).toEqual({ status: 'Accepted' });
    expect(command).toEqual({ connectorId: 1, idTag: 'TAG-OK' });
    expect(csms.callsOf('StartTransaction')).toEqual([
      expect.objectContaining({ connectorId: 1, idTag: 'TAG-OK', meterStart: 0 }),
    ]);
    expect(transaction).toMatchObject({ transactionId: 1000, idTag: 'TAG-OK', meterStartWh: 0 });
    expect(csms.callsOf('StatusNotification').map((p) => p.status)).toEqual(['Preparing', 'Charging']);
    expect(first).toMatchObject({ connectorId: 1, transactionId: 1000 });
    expect(energyOf(second)).toBeGreaterThan(energyOf(first));
    const values = sampled(first);
    expect(values).toContainEqual({
      context: 'Sample.Periodic',
      measurand: 'Power.Active.Import',
      location: 'Outlet',
      unit: 'W',
      value: '3600000',
    });
    expect(values.filter((v) => v.measurand === 'Current.Import').map((v) => v.phase)).toEqual([
      'L1',
      'L2',
      'L3',
    ]);
    expect(values.filter((v) => v.measurand === 'Voltage').map((v) => [v.phase, v.value])).toEqual([
      ['L1-N', '230.0'],
      ['L2-N', '230.0'],
      ['L3-N', '230.0'],
    ]);
    expect(values.find((v) => v.measurand === 'SoC')).toMatchObject({ unit: 'Percent', location: 'EV' });
    expect(await server.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-OK' })).toEqual({
      status: 'Rejected',
    });
    expect(await server.call('RemoteStartTransaction', { connectorId: 7, idTag: 'TAG-OK' })).toEqual({
      status: 'Rejected',
    });
  });

  it('stops with reason Remote on RemoteStopTransaction and reports the grown register', async () => {
    sim = await connectedSimulator(csms, { powerW: 3_600_000 });
    await sim.boot();
    const server = await csms.client('CP001');
    await server.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-OK' });
    const { transactionId } = await sim.waitForTransaction(2);
    const lastSample = await csms.waitForCall('MeterValues');

    const reply = await server.call('RemoteStopTransaction', { transactionId });
    const stopped = await sim.waitForTransactionStopped(transactionId);
    await sim.whenIdle();

    expect(reply).toEqual({ status: 'Accepted' });
    expect(stopped.params).toMatchObject({ transactionId, reason: 'Remote' });
    const stop = csms.callsOf('StopTransaction')[0];
    expect(stop.meterStop).toBeGreaterThanOrEqual(energyOf(lastSample));
    expect(stop.meterStop).toBeGreaterThan(0);
    expect(csms.callsOf('StatusNotification').map((p) => p.status)).toEqual([
      'Preparing',
      'Charging',
      'Finishing',
      'Available',
    ]);
    expect(sim.connectors.get(2)?.transaction).toBeUndefined();
    expect(await server.call('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Rejected' });
  });

  describe('GetDiagnostics', () => {
    let uploads: { method?: string; url?: string; body: string }[];
    let uploadServer: http.Server;
    let uploadStatus: number;

    beforeEach(async () => {
      uploads = [];
      uploadStatus = 201;
      uploadServer = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          uploads.push({ method: req.method, url: req.url, body });
          res.writeHead(uploadStatus).end();
        });
      });
      await new Promise<void>((resolve) => uploadServer.listen(0, '127.0.0.1', resolve));
    });

    afterEach(() => new Promise<void>((resolve) => uploadServer.close(() => resolve())));

    const location = (): string =>
      `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}/uploads/cp`;

    it('PUTs the diagnostics file into the given directory and reports Uploaded', async () => {
      sim = await connectedSimulator(csms);
      await sim.boot();
      const server = await csms.client('CP001');

      const reply = (await server.call('GetDiagnostics', { location: location() })) as { fileName: string };
      await csms.waitForCall('DiagnosticsStatusNotification', (p) => p.status === 'Uploaded');

      expect(reply.fileName).toMatch(/^CP001-diagnostics-\d{8}T\d{9}Z\.txt$/);
      expect(uploads).toHaveLength(1);
      expect(uploads[0]).toMatchObject({ method: 'PUT', url: `/uploads/cp/${reply.fileName}` });
      expect(uploads[0].body).toContain('Diagnostics of CP001');
      expect(uploads[0].body).toContain('GetDiagnostics');
      expect(csms.callsOf('DiagnosticsStatusNotification').map((p) => p.status)).toEqual([
        'Uploading',
        'Uploaded',
      ]);
    });

    it('reports UploadFailed after the retries when the server refuses the file', async () => {
      uploadStatus = 500;
      sim = await connectedSimulator(csms);
      const server = await csms.client('CP001');

      await server.call('GetDiagnostics', { location: location(), retries: 1, retryInterval: 0 });
      await csms.waitForCall('DiagnosticsStatusNotification', (p) => p.status === 'UploadFailed');
      await sim.whenIdle();

      expect(uploads).toHaveLength(2);
      expect(csms.callsOf('DiagnosticsStatusNotification').map((p) => p.status)).toEqual([
        'Uploading',
        'UploadFailed',
      ]);
      expect(sim.failures.map((f) => String(f.error))).toEqual([expect.stringContaining('HTTP 500')]);
    });
  });

  it("never answers a command set to 'silent', so the central system's call times out", async () => {
    sim = await connectedSimulator(csms);
    sim.respond('Reset', 'silent');
    const server = await csms.client('CP001');

    const call = server.call('Reset', { type: 'Soft' }, { callTimeoutMs: 300 });

    await expect(call).rejects.toBeInstanceOf(TimeoutError);
    expect(sim.received.map((c) => [c.action, c.params])).toEqual([['Reset', { type: 'Soft' }]]);
    expect(sim.connected).toBe(true);
  });

  it('answers with an override reply or handler and returns to the default', async () => {
    sim = await connectedSimulator(csms);
    const server = await csms.client('CP001');

    sim.respond('UnlockConnector', { status: 'UnlockFailed' });
    const fixed = await server.call('UnlockConnector', { connectorId: 1 });
    sim.respond('ClearCache', async (_params, { useDefault }) => ({
      ...(await useDefault()),
      status: 'Rejected',
    }));
    const handled = await server.call('ClearCache', {});
    sim.respond('UnlockConnector', 'default');
    const restored = await server.call('UnlockConnector', { connectorId: 1 });

    expect([fixed, handled, restored]).toEqual([
      { status: 'UnlockFailed' },
      { status: 'Rejected' },
      { status: 'Unlocked' },
    ]);
  });

  it.each([
    ['not JSON', '[2, "raw-1", "Heartbeat"', ['-1', 'RpcFrameworkError']],
    [
      'a wrong type',
      '[2,"raw-2","BootNotification",{"chargePointVendor":42,"chargePointModel":"X"}]',
      ['raw-2', 'TypeConstraintViolation'],
    ],
    [
      'a missing field',
      '[2,"raw-3","BootNotification",{"chargePointVendor":"Acme"}]',
      ['raw-3', 'OccurrenceConstraintViolation'],
    ],
    ['an unknown property', '[2,"raw-4","Heartbeat",{"foo":1}]', ['raw-4', 'PropertyConstraintViolation']],
  ])(
    'gets a CALLERROR from the strict server for a frame with %s',
    async (_case, frame, [messageId, errorCode]) => {
      sim = await connectedSimulator(csms);

      const next = sim.nextRawMessage();
      sim.sendRaw(frame);
      const reply = JSON.parse(await next) as unknown[];

      expect(reply.slice(0, 3)).toEqual([4, messageId, errorCode]);
      expect(csms.calls).toEqual([]);
    },
  );
});
