import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { RegistrationError, registerStations } from '../../src/simulator/registration';
import { ROOT_PASSWORD, TestApp, startApp } from '../app';
import { aDefaultTenantAdmin, anApiKey } from '../factories/accounts';
import { uniqueChargePointId } from '../factories/chargers';
import { outputSeen } from '../factories/processes';

/** The simulator registers its own stations over REST, then they connect and are accepted. */
describe('simulator: registering its own stations', () => {
  let t: TestApp;
  let apiUrl: string;

  beforeAll(async () => {
    t = await startApp();
    apiUrl = `${t.baseUrl}/api/v1`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const stationByChargePointId = async (chargePointId: string) => {
    const admin = await aDefaultTenantAdmin(t);
    const res = await t.http.get('/api/v1/stations').query({ limit: 200 }).set(admin.auth).expect(200);
    return (
      res.body.items as { chargePointId: string; securityProfile: number; registrationStatus: string }[]
    ).find((s) => s.chargePointId === chargePointId);
  };

  it('registers as root, leaves a registered station alone, and the station boots Accepted with its password', async () => {
    const fresh = uniqueChargePointId();
    const secured = uniqueChargePointId();
    const password = 'simulated-station-pw-01';
    const first = await registerStations(apiUrl, { username: 'root', password: ROOT_PASSWORD }, [
      { chargePointId: fresh },
      { chargePointId: secured, password },
    ]);
    expect(Object.fromEntries(first)).toEqual({ [fresh]: 'registered', [secured]: 'registered' });
    expect(await stationByChargePointId(secured)).toMatchObject({
      securityProfile: 1,
      registrationStatus: 'accepted',
    });

    const admin = await aDefaultTenantAdmin(t);
    const key = await anApiKey(t, admin, ['admin']);
    const again = await registerStations(apiUrl, { apiKey: key.key }, [{ chargePointId: fresh }]);
    expect(Object.fromEntries(again)).toEqual({ [fresh]: 'already registered' });

    const charger = new ChargerSimulator({
      url: `${t.wsUrl}/ocpp`,
      chargePointId: secured,
      password,
      connectors: 1,
    });
    try {
      await charger.connect();
      expect((await charger.boot()).status).toBe('Accepted');
    } finally {
      await charger.close();
    }
  });

  it('says why when the credentials are refused, and registers nothing', async () => {
    const id = uniqueChargePointId();
    await expect(
      registerStations(apiUrl, { apiKey: 'kw_not-a-key' }, [{ chargePointId: id }]),
    ).rejects.toThrow(
      new RegistrationError(
        `registering ${id} failed: 401 UNAUTHENTICATED: Missing, invalid or expired credentials`,
      ),
    );
    await expect(
      registerStations(apiUrl, { username: 'root', password: 'wrong-password' }, [{ chargePointId: id }]),
    ).rejects.toThrow(/^login as root failed: 401/);
    expect(await stationByChargePointId(id)).toBeUndefined();
  });

  it('works from the command line: --register --login root --login-password-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kilowatt-sim-'));
    const passwordFile = join(dir, 'root-password.txt');
    writeFileSync(passwordFile, `${ROOT_PASSWORD}\n`);
    const prefix = `${uniqueChargePointId()}-`;
    let out = '';
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'src/simulator/cli.ts',
        '--url',
        `${t.wsUrl}/ocpp`,
        '--register',
        '--login',
        'root',
        '--login-password-file',
        passwordFile,
        '--prefix',
        prefix,
        '--stations',
        '2',
      ],
      { env: { ...process.env, KILOWATT_API_KEY: '' } },
    );
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await outputSeen(child, () => out.includes('station(s) online'), 60_000);
      expect(out).toContain(`${prefix}001 registered`);
      expect(out).toContain(`2/2 station(s) online`);
      expect(await stationByChargePointId(`${prefix}002`)).toMatchObject({ registrationStatus: 'accepted' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    }
  }, 90_000);
});
