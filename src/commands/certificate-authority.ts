// tsyringe, which @peculiar/x509 uses, needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {
  X509Certificate,
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/env.schema';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Where the CA comes from: PEM given by the operator, else a pair generated once into `dataDir`. */
export interface CertificateAuthoritySettings {
  certPem?: string;
  keyPem?: string;
  dataDir: string;
  validityDays: number;
}

/** A certificate Kilowatt signed, as it is recorded and delivered. */
export interface IssuedCertificate {
  /** The leaf's PEM, followed by the CA's when that CA is itself issued by another. */
  chainPem: string;
  /** Lower-case hex, as in the certificate. */
  serialNumber: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  sha256Fingerprint: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export type CsrVerdict = { ok: true; csr: x509.Pkcs10CertificateRequest } | { ok: false; reason: string };

/** A CA of 20 years: renewed leaves never outlive it unnoticed. */
const GENERATED_CA_YEARS = 20;
const GENERATED_CERT_FILE = 'ca-cert.pem';
const GENERATED_KEY_FILE = 'ca-key.pem';
/** Base64 of a PEM: bounded well above OCPP's 5500-character CSR. */
const MAX_CSR_CHARS = 10_000;
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 8192;
const EC_CURVES = new Set(['P-256', 'P-384']);

type SigningAlgorithm = webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;

/** The WebCrypto signing algorithm of a private key (RSA PKCS#1 v1.5, or ECDSA on P-256/P-384). */
function signingAlgorithmOf(keyPem: string): { algorithm: SigningAlgorithm; pkcs8: Buffer } {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  if (key.asymmetricKeyType === 'rsa')
    return { algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, pkcs8 };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, pkcs8 };
    if (curve === 'secp384r1') return { algorithm: { name: 'ECDSA', namedCurve: 'P-384' }, pkcs8 };
  }
  throw new Error('the CA key must be RSA, or EC on P-256 or P-384');
}

const hashOf = (algorithm: SigningAlgorithm) =>
  'namedCurve' in algorithm && algorithm.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256';

/**
 * Checks a charging station's certificate signing request (OCPP 2.0.1 A02/A03): PEM (or base64
 * DER) PKCS#10 that parses, whose self-signature verifies, whose subject's one CN is the station's
 * id, with an RSA key of 2048 to 8192 bits or an EC key on P-256 or P-384. Never throws.
 */
export async function checkCsr(text: string, chargePointId: string): Promise<CsrVerdict> {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CSR_CHARS)
    return { ok: false, reason: 'the CSR is empty or too long' };
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(text.trim());
  } catch {
    return { ok: false, reason: 'the CSR is not a PEM-encoded PKCS#10 request' };
  }
  try {
    const common = csr.subjectName.getField('CN');
    if (common.length !== 1 || common[0] !== chargePointId)
      return { ok: false, reason: `the subject's CN must be the station id ${chargePointId}` };
    const key = csr.publicKey.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
    if (key.name === 'ECDSA' || key.name === 'ECDH') {
      if (!EC_CURVES.has(key.namedCurve ?? ''))
        return { ok: false, reason: 'an EC key must be on P-256 or P-384' };
    } else if (key.name === 'RSASSA-PKCS1-v1_5' || key.name === 'RSA-PSS' || key.name === 'RSA-OAEP') {
      const bits = key.modulusLength ?? 0;
      if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS)
        return { ok: false, reason: `an RSA key must have ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits` };
    } else return { ok: false, reason: 'the key must be RSA or EC' };
    if (!(await csr.verify())) return { ok: false, reason: 'the CSR signature does not verify' };
    return { ok: true, csr };
  } catch {
    return { ok: false, reason: 'the CSR cannot be read or verified' };
  }
}

/** A positive, non-zero 128-bit serial (RFC 5280 §4.1.2.2: at most 20 octets). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** Reads a PEM-encoded certificate; throws when it is none. */
export function parseCertificate(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

/**
 * Kilowatt's CSMS certificate authority: signs charging stations' certificates (security profile
 * 3 client certificates) and is trusted by the TLS server for them.
 */
export class CertificateAuthority {
  private constructor(
    readonly certPem: string,
    private readonly cert: x509.X509Certificate,
    private readonly signingKey: webcrypto.CryptoKey,
    private readonly algorithm: SigningAlgorithm,
    readonly validityDays: number,
  ) {}

  /** The operator's CA when given, else the one in `dataDir`, generated there on the first start. */
  static async load(settings: CertificateAuthoritySettings): Promise<CertificateAuthority> {
    if (settings.certPem && settings.keyPem)
      return CertificateAuthority.fromPem(settings.certPem, settings.keyPem, settings.validityDays).catch(
        (e: unknown) => {
          throw new ConfigError(
            `Invalid configuration — CA_CERT_FILE, CA_KEY_FILE: ${e instanceof Error ? e.message : String(e)}`,
          );
        },
      );
    const certFile = join(settings.dataDir, GENERATED_CERT_FILE);
    const keyFile = join(settings.dataDir, GENERATED_KEY_FILE);
    if (!existsSync(certFile) || !existsSync(keyFile)) await generate(certFile, keyFile, settings.dataDir);
    return CertificateAuthority.fromPem(
      readFileSync(certFile, 'utf8'),
      readFileSync(keyFile, 'utf8'),
      settings.validityDays,
    );
  }

  private static async fromPem(certPem: string, keyPem: string, validityDays: number) {
    const cert = new x509.X509Certificate(certPem);
    const constraints = cert.getExtension(x509.BasicConstraintsExtension);
    if (!constraints?.ca) throw new Error('the CA certificate is not a CA (basicConstraints CA:TRUE)');
    const { algorithm, pkcs8 } = signingAlgorithmOf(keyPem);
    const publicDer = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    if (!Buffer.from(cert.publicKey.rawData).equals(publicDer))
      throw new Error('the CA key does not belong to the CA certificate');
    const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    return new CertificateAuthority(
      cert.toString('pem'),
      cert,
      signingKey as webcrypto.CryptoKey,
      algorithm,
      validityDays,
    );
  }

  get subject(): string {
    return this.cert.subject;
  }

  /**
   * Signs a checked CSR: the CSR's subject and key, a fresh random serial, `validityDays` from
   * `now` (never past the CA's own end), for TLS client authentication.
   */
  async issue(csr: x509.Pkcs10CertificateRequest, now: Date): Promise<IssuedCertificate> {
    const notBefore = new Date(now.getTime() - 60_000);
    const wanted = new Date(now.getTime() + this.validityDays * 86_400_000);
    const notAfter = wanted < this.cert.notAfter ? wanted : this.cert.notAfter;
    const rsa = csr.publicKey.algorithm.name.startsWith('RSA');
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: csr.subjectName,
      issuer: this.cert.subjectName,
      notBefore,
      notAfter,
      publicKey: csr.publicKey,
      signingKey: this.signingKey,
      signingAlgorithm: { ...this.algorithm, hash: hashOf(this.algorithm) },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0),
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.cert),
      ],
    });
    const selfSigned = this.cert.subject === this.cert.issuer;
    return {
      chainPem: selfSigned ? leaf.toString('pem') : `${leaf.toString('pem')}\n${this.certPem}`,
      serialNumber: leaf.serialNumber.toLowerCase(),
      sha256Fingerprint: createHash('sha256').update(Buffer.from(leaf.rawData)).digest('hex'),
      subject: leaf.subject,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
    };
  }
}

/** A P-256 CA key and its self-signed certificate, the key readable by its owner only. */
async function generate(certFile: string, keyFile: string, dataDir: string): Promise<void> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=Kilowatt CSMS CA ${randomBytes(4).toString('hex')}, O=Kilowatt`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + GENERATED_CA_YEARS * 365 * 86_400_000),
    signingAlgorithm: algorithm,
    keys: keys as webcrypto.CryptoKeyPair,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as webcrypto.CryptoKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, cert.toString('pem'), { mode: 0o644 });
}
