import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApp, startApp } from '../app';
import { aCharger, aStation, handshake, uniqueChargePointId } from '../factories/chargers';

/** Self-signed material made with the openssl CLI: a server certificate, a CA and client certificates. */
class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'kilowatt-pki-'));

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'ignore' });
  }

  private ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  constructor() {
    this.openssl(
      'req',
      '-x509',
      ...this.ecKey,
      '-keyout',
      'server.key',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    );
    this.openssl(
      'req',
      '-x509',
      ...this.ecKey,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=Kilowatt test charger CA',
    );
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  /** A client certificate with the given CN, signed by the CA (or self-signed). */
  clientCert(cn: string, signedByCa = true): { cert: string; key: string } {
    const name = `client-${cn}-${signedByCa ? 'ca' : 'self'}`;
    if (signedByCa) {
      this.openssl(
        'req',
        ...this.ecKey,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      );
      this.openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '1',
      );
    } else {
      this.openssl(
        'req',
        '-x509',
        ...this.ecKey,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        '-subj',
        `/CN=${cn}`,
      );
    }
    return { cert: this.read(`${name}.crt`), key: this.read(`${name}.key`) };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('OCPP over TLS (security profiles 2 and 3)', () => {
  let pki: TestPki;
  let t: TestApp;
  let wssUrl: string;
  let serverCa: string;

  beforeAll(async () => {
    pki = new TestPki();
    serverCa = pki.read('server.crt');
    t = await startApp({
      TLS_CERT_FILE: pki.path('server.crt'),
      TLS_KEY_FILE: pki.path('server.key'),
      TLS_CA_FILE: pki.path('ca.crt'),
    });
    wssUrl = t.wsUrl.replace('ws://', 'wss://');
  });
  afterAll(async () => {
    await t.close();
    pki.dispose();
  });

  it('serves the API over https on the same port', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      get(`${t.baseUrl.replace('http://', 'https://')}/api/v1/health`, { ca: serverCa }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(data));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
  });

  describe('profile 2: TLS and Basic Auth', () => {
    it('admits a charger with the right password over wss', async () => {
      const s = await aStation(t, { securityProfile: 2 });
      const charger = await aCharger(t, s, { url: `${wssUrl}/ocpp`, tls: { ca: serverCa } });
      expect(charger.registration?.status).toBe('Accepted');
      await expect(charger.heartbeat()).resolves.toHaveProperty('currentTime');
      await charger.close();
    });

    it('refuses a wrong password over wss with 401', async () => {
      const s = await aStation(t, { securityProfile: 2 });
      const res = await handshake(`${wssUrl}/ocpp/${s.chargePointId}`, { password: 'wrong', ca: serverCa });
      expect(res.status).toBe(401);
    });
  });

  describe('profile 3: mutual TLS', () => {
    it('admits a charger whose CA-signed client certificate names its chargePointId', async () => {
      const s = await aStation(t, { securityProfile: 3 });
      const charger = await aCharger(t, s, {
        url: `${wssUrl}/ocpp`,
        tls: { ca: serverCa, ...pki.clientCert(s.chargePointId) },
      });
      expect(charger.registration?.status).toBe('Accepted');
      await charger.close();
    });

    it('refuses a certificate for another charger, one not signed by the CA, and none at all', async () => {
      const s = await aStation(t, { securityProfile: 3 });
      const url = `${wssUrl}/ocpp/${s.chargePointId}`;
      expect((await handshake(url, { ca: serverCa, ...pki.clientCert(uniqueChargePointId()) })).status).toBe(
        401,
      );
      expect((await handshake(url, { ca: serverCa, ...pki.clientCert(s.chargePointId, false) })).status).toBe(
        401,
      );
      expect((await handshake(url, { ca: serverCa })).status).toBe(401);
    });
  });
});
