import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { X509Certificate, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/env.schema';
import { CertificateAuthority, checkCsr } from './certificate-authority';

type KeyKind = 'rsa1024' | 'rsa2048' | 'p256' | 'p384' | 'p521';

const ALGORITHMS: Record<KeyKind, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  rsa1024: {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 1024,
  },
  rsa2048: {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  },
  p256: { name: 'ECDSA', namedCurve: 'P-256' },
  p384: { name: 'ECDSA', namedCurve: 'P-384' },
  p521: { name: 'ECDSA', namedCurve: 'P-521' },
};

async function csrFor(name: string, kind: KeyKind = 'p256'): Promise<string> {
  const algorithm = { ...ALGORITHMS[kind], hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys,
    signingAlgorithm: algorithm,
  });
  return csr.toString('pem');
}

describe('checkCsr', () => {
  it.each<[KeyKind]>([['rsa2048'], ['p256'], ['p384']])(
    'accepts a %s CSR whose CN is the station id',
    async (kind) => {
      const verdict = await checkCsr(await csrFor('CN=CS-1, O=Acme', kind), 'CS-1');
      expect(verdict.ok).toBe(true);
    },
  );

  it.each<[string, string, KeyKind, RegExp]>([
    ['another CN', 'CN=CS-2', 'p256', /CN must be the station id/],
    ['no CN', 'O=Acme', 'p256', /CN must be the station id/],
    ['two CNs', 'CN=CS-1, CN=CS-1', 'p256', /CN must be the station id/],
    ['a 1024-bit RSA key', 'CN=CS-1', 'rsa1024', /RSA key must have 2048/],
    ['a P-521 key', 'CN=CS-1', 'p521', /P-256 or P-384/],
  ])('rejects %s', async (_case, name, kind, reason) => {
    const verdict = await checkCsr(await csrFor(name, kind), 'CS-1');
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('rejects a CSR whose signature does not verify', async () => {
    const pem = await csrFor('CN=CS-1');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0xff; // inside the signature
    const verdict = await checkCsr(der.toString('base64'), 'CS-1');
    expect(verdict.ok).toBe(false);
  });

  it('rejects empty, huge and non-PEM input', async () => {
    expect((await checkCsr('', 'CS-1')).ok).toBe(false);
    expect((await checkCsr('A'.repeat(20_000), 'CS-1')).ok).toBe(false);
    expect(
      (await checkCsr('-----BEGIN CERTIFICATE REQUEST-----\nnope\n-----END CERTIFICATE REQUEST-----', 'CS-1'))
        .ok,
    ).toBe(false);
  });

  it('never throws on garbage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 6000 }), fc.base64String({ maxLength: 6000 })),
        async (text) => {
          const verdict = await checkCsr(text, 'CS-1');
          expect(verdict.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on a real CSR with bytes flipped', async () => {
    const der = Buffer.from((await csrFor('CN=CS-1')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: der.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const broken = Buffer.from(der);
          broken[at] ^= mask;
          const verdict = await checkCsr(broken.toString('base64'), 'CS-1');
          expect(typeof verdict.ok).toBe('boolean');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('CertificateAuthority', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kilowatt-ca-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates its key and certificate once, the key readable by its owner only, and reuses them', async () => {
    const first = await CertificateAuthority.load({ dataDir: dir, validityDays: 365 });
    expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    const again = await CertificateAuthority.load({ dataDir: dir, validityDays: 365 });
    expect(again.certPem).toBe(first.certPem);
    expect(new X509Certificate(first.certPem).ca).toBe(true);
  });

  it('issues a client certificate for the CSR, signed by the CA, valid for the configured days', async () => {
    const ca = await CertificateAuthority.load({ dataDir: dir, validityDays: 30 });
    const verdict = await checkCsr(await csrFor('CN=CS-1', 'rsa2048'), 'CS-1');
    if (!verdict.ok) throw new Error(verdict.reason);
    const now = new Date('2026-01-01T00:00:00Z');
    const issued = await ca.issue(verdict.csr, now);
    const cert = new X509Certificate(issued.chainPem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subject).toBe('CN=CS-1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(cert.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(issued.sha256Fingerprint);
    expect(issued.notAfter.getTime() - now.getTime()).toBe(30 * 86_400_000);
    const other = await ca.issue(verdict.csr, now);
    expect(other.serialNumber).not.toBe(issued.serialNumber);
  });

  it("loads an operator CA given as PEM, and refuses a key that is not the certificate's", async () => {
    await CertificateAuthority.load({ dataDir: dir, validityDays: 365 });
    const certPem = readFileSync(join(dir, 'ca-cert.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'ca-key.pem'), 'utf8');
    const given = await CertificateAuthority.load({
      certPem,
      keyPem,
      dataDir: '/nonexistent',
      validityDays: 1,
    });
    expect(given.certPem.trim()).toBe(certPem.trim());
    const otherDir = mkdtempSync(join(tmpdir(), 'kilowatt-ca-'));
    await CertificateAuthority.load({ dataDir: otherDir, validityDays: 365 });
    const otherKey = readFileSync(join(otherDir, 'ca-key.pem'), 'utf8');
    rmSync(otherDir, { recursive: true, force: true });
    await expect(
      CertificateAuthority.load({ certPem, keyPem: otherKey, dataDir: dir, validityDays: 1 }),
    ).rejects.toThrow(/CA_CERT_FILE, CA_KEY_FILE: the CA key does not belong/);
    await expect(
      CertificateAuthority.load({ certPem: 'junk', keyPem, dataDir: dir, validityDays: 1 }),
    ).rejects.toThrow(ConfigError);
  });
});
