import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority, checkCsr } from '../../src/commands/certificate-authority';
import { SIGNED_PER_DAY } from '../../src/commands/certificates.service';
import { certificateHashData } from '../../src/simulator/v201/certificates';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser } from '../factories/accounts';
import { aCharger, eventually, handshake } from '../factories/chargers';
import { CommandStation, aRegisteredStation } from './commands.helpers';

/** A key and a certificate for `cn` signed by `ca`, as a station would hold it from an earlier renewal. */
async function aClientCertificate(
  ca: CertificateAuthority,
  cn: string,
): Promise<{ cert: string; key: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys: keys as never,
    signingAlgorithm: algorithm,
  });
  const verdict = await checkCsr(csr.toString('pem'), cn);
  if (!verdict.ok) throw new Error(verdict.reason);
  const issued = await ca.issue(verdict.csr, new Date());
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
    type: 'pkcs8',
    format: 'pem',
  });
  return { cert: issued.chainPem, key: key.toString() };
}

interface Issued {
  id: string;
  serialNumber: string;
  sha256Fingerprint: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  certificate: string;
  deliveryStatus: string;
  deliveryError: string | null;
  issuedAt: string;
  revokedAt: string | null;
}

describe("OCPP 2.0.1 certificates: Kilowatt's CSMS CA, renewal over security profile 3, installed certificates", () => {
  let t: TestApp;
  let admin: TestAccount;
  let pki: string;
  let serverCert: string;
  let wssUrl: string;
  let ca: CertificateAuthority;
  const open: ChargingStation201[] = [];

  beforeAll(async () => {
    pki = mkdtempSync(join(tmpdir(), 'kilowatt-pki-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
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
      ],
      { cwd: pki, stdio: 'ignore' },
    );
    serverCert = readFileSync(join(pki, 'server.crt'), 'utf8');
    t = await startApp({
      TLS_CERT_FILE: join(pki, 'server.crt'),
      TLS_KEY_FILE: join(pki, 'server.key'),
      OCPP_CALL_TIMEOUT_MS: '2000',
      CA_CERT_VALIDITY_DAYS: '30',
    });
    wssUrl = `${t.wsUrl.replace('ws://', 'wss://')}/ocpp`;
    // The same CA the application generated into its DATA_DIR at start.
    ca = await CertificateAuthority.load(t.config.certificateAuthority);
    ({ admin } = await aTenantWithAdmin(t));
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
    rmSync(pki, { recursive: true, force: true });
  });

  /** A booted 2.0.1 station over wss: with a client certificate (profile 3), a password (profile 2) or neither. */
  async function aStation201(
    station: CommandStation,
    auth: { cert?: { cert: string; key: string }; password?: string } = {},
  ) {
    const sim = new ChargingStation201({
      // The one server speaks TLS: every station uses wss.
      url: wssUrl,
      chargePointId: station.chargePointId,
      evses: 1,
      meterIntervalMs: 0,
      callTimeoutMs: 5000,
      password: auth.password,
      tls: { ca: serverCert, ...auth.cert },
    });
    open.push(sim);
    await sim.connect();
    expect((await sim.boot()).status).toBe('Accepted');
    return sim;
  }

  /** A station of security profile 2 (TLS and Basic Auth), connected. */
  async function aProfile2Station() {
    const password = randomBytes(18).toString('base64url');
    const station = await aRegisteredStation(t, admin, { securityProfile: 2, password });
    return { station, sim: await aStation201(station, { password }) };
  }

  const issuedOf = async (station: CommandStation, who = admin): Promise<Issued[]> =>
    (await t.http.get(`/api/v1/stations/${station.id}/certificates`).set(who.auth).expect(200)).body.items;

  it('generated its CA once into DATA_DIR, the key readable by its owner only', () => {
    expect(statSync(join(t.config.dataDir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(ca.certPem).ca).toBe(true);
    expect(ca.subject).toMatch(/^CN=Kilowatt CSMS CA/);
  });

  it('renews a profile 3 station end to end: trigger, CSR, CertificateSigned, and a reconnection with the new certificate', async () => {
    const station = await aRegisteredStation(t, admin, { securityProfile: 3 });
    const first = await aClientCertificate(ca, station.chargePointId);
    const sim = await aStation201(station, { cert: first });

    const res = await t.http
      .post(`/api/v1/stations/${station.id}/certificates/renew`)
      .set(admin.auth)
      .expect(200);
    expect(res.body).toEqual({ status: 'Accepted' });

    const [issued] = await eventually(async () => {
      const items = await issuedOf(station);
      expect(items).toHaveLength(1);
      expect(items[0].deliveryStatus).toBe('accepted');
      return items;
    });
    await eventually(async () =>
      expect(sim.sent.find((c) => c.action === 'SignCertificate')?.params).toMatchObject({
        certificateType: 'ChargingStationCertificate',
      }),
    );
    expect(sim.received.find((c) => c.action === 'CertificateSigned')?.params).toEqual({
      certificateChain: issued.certificate,
      certificateType: 'ChargingStationCertificate',
    });
    const cert = new X509Certificate(sim.certificates.tlsOptions().cert);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(cert.subject).toContain(`CN=${station.chargePointId}`);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(issued).toMatchObject({
      serialNumber: cert.serialNumber.toLowerCase(),
      sha256Fingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
      deliveryError: null,
    });
    expect(Date.parse(issued.notAfter) - Date.parse(issued.notBefore)).toBeCloseTo(
      30 * 86_400_000 + 60_000,
      -4,
    );
    // The renewal is audited like every command.
    const audit = await t.http
      .get(`/api/v1/stations/${station.id}/commands/audit`)
      .set(admin.auth)
      .expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'TriggerMessage',
        request: { requestedMessage: 'SignChargingStationCertificate' },
      }),
    );

    // The station reconnects with its new certificate and key.
    await sim.close();
    sim.useTls({ ca: serverCert, ...sim.certificates.tlsOptions() });
    await sim.connect();
    expect((await sim.boot()).status).toBe('Accepted');
  });

  it('revokes a certificate it signed: the station is refused with it from its next handshake', async () => {
    const station = await aRegisteredStation(t, admin, { securityProfile: 3 });
    const sim = await aStation201(station, { cert: await aClientCertificate(ca, station.chargePointId) });
    await t.http.post(`/api/v1/stations/${station.id}/certificates/renew`).set(admin.auth).expect(200);
    const [issued] = await eventually(async () => {
      const items = await issuedOf(station);
      expect(items.map((i) => i.deliveryStatus)).toEqual(['accepted']);
      return items;
    });
    expect(issued).toMatchObject({ revokedAt: null });
    const renewed = { ca: serverCert, ...sim.certificates.tlsOptions() };
    await sim.close();
    const url = `${wssUrl}/${station.chargePointId}`;
    const before = await handshake(url, { protocols: ['ocpp2.0.1'], ...renewed });
    expect(before.status).toBe(101);
    before.ws?.close();

    const revoke = (certificateId: string, who = admin) =>
      t.http.post(`/api/v1/stations/${station.id}/certificates/${certificateId}/revoke`).set(who.auth);
    const other = await aTenantWithAdmin(t);
    await revoke(issued.id, other.admin).expect(404);
    expect((await issuedOf(station))[0].revokedAt).toBeNull();
    await revoke(randomUUID()).expect(404);
    await revoke('not-a-uuid').expect(400);

    const revoked = await revoke(issued.id).expect(200);
    expect(revoked.body).toMatchObject({ id: issued.id, serialNumber: issued.serialNumber });
    expect(Date.parse(revoked.body.revokedAt)).toBeGreaterThanOrEqual(Date.parse(issued.issuedAt));
    expect((await revoke(issued.id).expect(200)).body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await issuedOf(station))[0].revokedAt).toBe(revoked.body.revokedAt);
    expect((await handshake(url, { protocols: ['ocpp2.0.1'], ...renewed })).status).toBe(401);

    // Recorded once in the tenant's security audit log, not in the other tenant's.
    const audited = async (who: TestAccount) =>
      (
        await t.http
          .get('/api/v1/security-events?type=certificate_revoked&limit=200')
          .set(who.auth)
          .expect(200)
      ).body.items.filter(
        (e: { details: { certificateId?: string } }) => e.details.certificateId === issued.id,
      );
    expect(await audited(admin)).toEqual([
      expect.objectContaining({
        type: 'certificate_revoked',
        details: { stationId: station.id, certificateId: issued.id, serialNumber: issued.serialNumber },
      }),
    ]);
    expect(await audited(other.admin)).toEqual([]);
  });

  it('refuses a client certificate from a foreign CA, or for another station', async () => {
    const station = await aRegisteredStation(t, admin, { securityProfile: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'kilowatt-foreign-ca-'));
    try {
      const foreign = await CertificateAuthority.load({ dataDir: dir, validityDays: 1 });
      const url = `${wssUrl}/${station.chargePointId}`;
      const byForeign = await aClientCertificate(foreign, station.chargePointId);
      expect((await handshake(url, { protocols: ['ocpp2.0.1'], ca: serverCert, ...byForeign })).status).toBe(
        401,
      );
      const forAnother = await aClientCertificate(ca, 'SOMEONE-ELSE');
      expect((await handshake(url, { protocols: ['ocpp2.0.1'], ca: serverCert, ...forAnother })).status).toBe(
        401,
      );
      const good = await aClientCertificate(ca, station.chargePointId);
      const ok = await handshake(url, { protocols: ['ocpp2.0.1'], ca: serverCert, ...good });
      expect(ok.status).toBe(101);
      ok.ws?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('SignCertificate that Kilowatt refuses: nothing is signed or sent', () => {
    let station: CommandStation;
    let sim: ChargingStation201;

    beforeAll(async () => {
      ({ station, sim } = await aProfile2Station());
    });

    it('rejects any CSR from a station that did not connect over TLS with its credentials', async () => {
      const bare = await aRegisteredStation(t, admin);
      const plain = await aStation201(bare);
      expect(await plain.certificates.requestSigning()).toEqual({
        status: 'Rejected',
        statusInfo: {
          reasonCode: 'InsecureConnection',
          additionalInfo: expect.stringMatching(/profile 2 or 3/),
        },
      });
      expect(await issuedOf(bare)).toEqual([]);
    });

    it.each([
      [
        'a CN that is not the station id',
        { key: 'ec-p256', commonName: 'NOT-THIS-ONE' },
        /CN must be the station id/,
      ],
      ['a 1024-bit RSA key', { key: 'rsa-1024' }, /RSA key must have 2048/],
    ] as const)('rejects a CSR with %s', async (_case, csrOptions, reason) => {
      sim.certificates.csrOptions = { ...csrOptions };
      const reply = await sim.certificates.requestSigning();
      expect(reply).toEqual({
        status: 'Rejected',
        statusInfo: { reasonCode: 'InvalidCSR', additionalInfo: expect.stringMatching(reason) },
      });
    });

    it('rejects garbage and a CSR that does not verify, and survives them', async () => {
      for (const csr of [
        'garbage',
        '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
        'x'.repeat(5500),
      ])
        expect(await sim.certificates.signCertificate(csr)).toMatchObject({
          status: 'Rejected',
          statusInfo: { reasonCode: 'InvalidCSR' },
        });
      expect((await sim.heartbeat()).currentTime).toEqual(expect.any(String));
    });

    it('rejects a V2G certificate request: Kilowatt runs no ISO 15118 PKI', async () => {
      sim.certificates.csrOptions = { key: 'ec-p256' };
      const csr = (await aClientCertificate(ca, 'unused')).cert; // any text: the type decides first
      expect(await sim.certificates.signCertificate(csr, 'V2GCertificate')).toMatchObject({
        status: 'Rejected',
        statusInfo: { reasonCode: 'NotSupported' },
      });
    });

    it('issued and sent nothing for them, and signs the next good one', async () => {
      expect(await issuedOf(station)).toEqual([]);
      expect(sim.received.filter((c) => c.action === 'CertificateSigned')).toEqual([]);
      sim.certificates.csrOptions = { key: 'rsa-2048' };
      expect(await sim.certificates.requestSigning()).toEqual({ status: 'Accepted' });
      await eventually(async () => expect((await issuedOf(station))[0]?.deliveryStatus).toBe('accepted'));
      expect(sim.certificates.certificate).toBeDefined();
    });
  });

  it('records a certificate the station refuses in CertificateSigned as rejected', async () => {
    const { station, sim } = await aProfile2Station();
    sim.respond('CertificateSigned' as never, { status: 'Rejected' } as never);
    expect(await sim.certificates.requestSigning()).toEqual({ status: 'Accepted' });
    await eventually(async () => expect((await issuedOf(station))[0]?.deliveryStatus).toBe('rejected'));
    expect(sim.certificates.certificate).toBeUndefined();
  });

  describe('installed certificates', () => {
    let station: CommandStation;
    const base = () => `/api/v1/stations/${station.id}/installed-certificates`;

    beforeAll(async () => {
      station = await aRegisteredStation(t, admin);
      await aStation201(station);
    });

    it('installs, lists and deletes a root certificate on the station', async () => {
      await t.http
        .post(base())
        .set(admin.auth)
        .send({ certificateType: 'CSMSRootCertificate', certificate: ca.certPem })
        .expect(200, { status: 'Accepted' });
      const listed = await t.http
        .get(`${base()}?certificateType=CSMSRootCertificate`)
        .set(admin.auth)
        .expect(200);
      const expected = certificateHashData(ca.certPem);
      expect(expected.serialNumber).toBe(
        new X509Certificate(ca.certPem).serialNumber.toLowerCase().replace(/^0+/, ''),
      );
      expect(listed.body).toEqual({
        status: 'Accepted',
        certificateHashDataChain: [{ certificateType: 'CSMSRootCertificate', certificateHashData: expected }],
      });
      await t.http
        .get(`${base()}?certificateType=V2GRootCertificate,MORootCertificate`)
        .set(admin.auth)
        .expect(200, { status: 'NotFound' });
      await t.http
        .post(`${base()}/delete`)
        .set(admin.auth)
        .send({ certificateHashData: expected })
        .expect(200, { status: 'Accepted' });
      await t.http.get(base()).set(admin.auth).expect(200, { status: 'NotFound' });
      await t.http
        .post(`${base()}/delete`)
        .set(admin.auth)
        .send({ certificateHashData: expected })
        .expect(200, { status: 'NotFound' });
    });

    it('answers 400 naming the field for a certificate that is not one, a bad type or bad hash data', async () => {
      const bad = await t.http
        .post(base())
        .set(admin.auth)
        .send({ certificateType: 'CSMSRootCertificate', certificate: 'not a certificate' })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.details.fields).toEqual([expect.objectContaining({ field: 'certificate' })]);
      await t.http
        .post(base())
        .set(admin.auth)
        .send({ certificateType: 'ChargingStationCertificate', certificate: ca.certPem })
        .expect(400);
      await t.http.get(`${base()}?certificateType=Nonsense`).set(admin.auth).expect(400);
      await t.http
        .post(`${base()}/delete`)
        .set(admin.auth)
        .send({
          certificateHashData: {
            hashAlgorithm: 'MD5',
            issuerNameHash: 'zz',
            issuerKeyHash: '',
            serialNumber: 1,
          },
        })
        .expect(400);
    });
  });

  it('keeps its CA across a restart: a certificate signed before still admits the station', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kilowatt-ca-restart-'));
    const env = { TLS_CERT_FILE: join(pki, 'server.crt'), TLS_KEY_FILE: join(pki, 'server.key') };
    try {
      const first = await startApp(env, { dataDir });
      const caPem = readFileSync(join(dataDir, 'ca-cert.pem'), 'utf8');
      const { admin: firstAdmin } = await aTenantWithAdmin(first);
      const station = await aRegisteredStation(first, firstAdmin, { securityProfile: 3 });
      const cert = await aClientCertificate(
        await CertificateAuthority.load(first.config.certificateAuthority),
        station.chargePointId,
      );
      await first.close();

      const second = await startApp(env, { dataDir });
      try {
        expect(readFileSync(join(dataDir, 'ca-cert.pem'), 'utf8')).toBe(caPem);
        const url = `${second.wsUrl.replace('ws://', 'wss://')}/ocpp/${station.chargePointId}`;
        const ok = await handshake(url, { protocols: ['ocpp2.0.1'], ca: serverCert, ...cert });
        expect(ok.status).toBe(101);
        ok.ws?.close();
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('who may', () => {
    it("answers 404 for another tenant's station and 403 for a plain user", async () => {
      const station = await aRegisteredStation(t, admin);
      const other = await aTenantWithAdmin(t);
      const user = await aUser(t);
      for (const who of [other.admin, user]) {
        const status = who === user ? 403 : 404;
        await t.http.get(`/api/v1/stations/${station.id}/certificates`).set(who.auth).expect(status);
        await t.http.post(`/api/v1/stations/${station.id}/certificates/renew`).set(who.auth).expect(status);
        await t.http
          .get(`/api/v1/stations/${station.id}/installed-certificates`)
          .set(who.auth)
          .expect(status);
      }
    });

    it('answers 409 UNSUPPORTED_BY_PROTOCOL for a 1.6 station, and STATION_OFFLINE for one not connected', async () => {
      const station16 = await aRegisteredStation(t, admin);
      const charger = await aCharger(t, station16, { url: wssUrl, tls: { ca: serverCert } });
      try {
        for (const req of [
          t.http.post(`/api/v1/stations/${station16.id}/certificates/renew`),
          t.http.get(`/api/v1/stations/${station16.id}/installed-certificates`),
        ]) {
          const res = await req.set(admin.auth).expect(409);
          expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
        }
        expect(await issuedOf(station16)).toEqual([]);
      } finally {
        await charger.close();
      }
      const gone = await aRegisteredStation(t, admin);
      await (await aStation201(gone)).close();
      const res = await t.http
        .post(`/api/v1/stations/${gone.id}/certificates/renew`)
        .set(admin.auth)
        .expect(409);
      expect(res.body.code).toBe('STATION_OFFLINE');
    });
  });

  // Last: it moves the app's clock a day on, and the certificates signed after it start then.
  it(`signs at most ${SIGNED_PER_DAY} certificates for a station in 24 hours`, async () => {
    const { station, sim } = await aProfile2Station();
    for (let i = 0; i < SIGNED_PER_DAY; i++)
      expect(await sim.certificates.requestSigning()).toEqual({ status: 'Accepted' });
    expect(await sim.certificates.requestSigning()).toEqual({
      status: 'Rejected',
      statusInfo: { reasonCode: 'TooManyRequests', additionalInfo: expect.stringMatching(/24 hours/) },
    });
    expect(await issuedOf(station)).toHaveLength(SIGNED_PER_DAY);
    t.clock.advance(24 * 3600_000 + 1000);
    expect(await sim.certificates.requestSigning()).toEqual({ status: 'Accepted' });
    expect(await issuedOf(station)).toHaveLength(SIGNED_PER_DAY + 1);
  });
});
