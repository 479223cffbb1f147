// tsyringe, which @peculiar/x509 uses, needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import type { HandlerOutcome } from '../simulator-types';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** The key a station makes for a CSR: EC P-256 as most stations do, or RSA of some size. */
export type StationKeyKind = 'ec-p256' | 'ec-p384' | 'rsa-2048' | 'rsa-1024';

export interface CertificateHashData {
  hashAlgorithm: 'SHA256';
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}

interface InstalledCertificate {
  certificateType: string;
  pem: string;
  hashData: CertificateHashData;
}

const KEY_ALGORITHMS: Record<StationKeyKind, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  'ec-p256': { name: 'ECDSA', namedCurve: 'P-256' },
  'ec-p384': { name: 'ECDSA', namedCurve: 'P-384' },
  'rsa-2048': {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  },
  'rsa-1024': {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 1024,
  },
};

const sha256 = (data: ArrayBuffer | Buffer) =>
  createHash('sha256')
    .update(Buffer.from(data as ArrayBuffer))
    .digest('hex');

/** One DER TLV at `at`: where its contents start and end. */
function derElement(der: Buffer, at: number): { start: number; end: number } {
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i];
    start += octets;
  }
  return { start, end: start + length };
}

/** The subjectPublicKey BIT STRING's contents of a SubjectPublicKeyInfo (RFC 5280 §4.1). */
function subjectPublicKeyBits(spki: ArrayBuffer): Buffer {
  const der = Buffer.from(spki);
  const outer = derElement(der, 0);
  const algorithm = derElement(der, outer.start);
  const bits = derElement(der, algorithm.end);
  return der.subarray(bits.start + 1, bits.end); // after the unused-bits octet
}

/**
 * OCPP 2.0.1 hash data of a certificate (A00 CertificateHashDataType), SHA-256: of its issuer's
 * DER name, of its issuer's public key (the BIT STRING's contents, as OCSP does), and its serial.
 * A self-signed (root) certificate is its own issuer; for another, `issuerPem` is its issuer.
 */
export function certificateHashData(pem: string, issuerPem?: string): CertificateHashData {
  const cert = new x509.X509Certificate(pem);
  const issuer = issuerPem ? new x509.X509Certificate(issuerPem) : cert;
  return {
    hashAlgorithm: 'SHA256',
    issuerNameHash: sha256(cert.issuerName.toArrayBuffer()),
    issuerKeyHash: sha256(subjectPublicKeyBits(issuer.publicKey.rawData)),
    serialNumber: cert.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
  };
}

/**
 * A simulated station's certificates: the ChargingStationCertificate it has the CSMS sign
 * (A02/A03: a new key and CSR on TriggerMessage SignChargingStationCertificate, the certificate
 * kept with its key once CertificateSigned delivers it) and the root certificates it holds
 * (InstallCertificate, GetInstalledCertificateIds, DeleteCertificate, M03-M05).
 */
export class StationCertificates {
  /** The station's certificate (PEM chain as received) and its private key, once signed. */
  certificate?: { chainPem: string; keyPem: string };
  readonly installed: InstalledCertificate[] = [];
  /** What the next CSR is made of; tests change it to see the CSMS refuse. */
  csrOptions: { key: StationKeyKind; commonName?: string } = { key: 'ec-p256' };
  /** The key of the CSR last sent: its SubjectPublicKeyInfo and its PEM. */
  private pendingKey?: { spki: Buffer; keyPem: string };

  constructor(
    private readonly chargePointId: string,
    private readonly send: (action: string, payload: object) => Promise<unknown>,
  ) {}

  /** Makes a new key and CSR (CN = the station id unless told otherwise) and sends SignCertificate. */
  async requestSigning(): Promise<{
    status: string;
    statusInfo?: { reasonCode: string; additionalInfo?: string };
  }> {
    const base = KEY_ALGORITHMS[this.csrOptions.key];
    const algorithm = { ...base, hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: `CN=${this.csrOptions.commonName ?? this.chargePointId}, O=Kilowatt Simulator`,
      keys: keys as never,
      signingAlgorithm: algorithm,
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    this.pendingKey = {
      spki: Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)),
      keyPem: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
        .export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    };
    return this.signCertificate(csr.toString('pem'));
  }

  /** Sends SignCertificate with the CSR as given (a test's garbage included). */
  signCertificate(csr: string, certificateType = 'ChargingStationCertificate') {
    return this.send('SignCertificate', { csr, certificateType }) as Promise<{
      status: string;
      statusInfo?: { reasonCode: string; additionalInfo?: string };
    }>;
  }

  /** The TLS options to connect with the signed certificate (security profile 3). */
  tlsOptions(): { cert: string; key: string } {
    if (!this.certificate) throw new Error(`${this.chargePointId} has no signed certificate yet`);
    return { cert: this.certificate.chainPem, key: this.certificate.keyPem };
  }

  handlers(): Record<string, (params: never) => HandlerOutcome> {
    return {
      CertificateSigned: (p: { certificateChain: string; certificateType?: string }) => this.onSigned(p),
      InstallCertificate: (p: { certificateType: string; certificate: string }) => {
        let hashData: CertificateHashData;
        try {
          hashData = certificateHashData(p.certificate);
        } catch {
          return { reply: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate' } } };
        }
        const same = this.indexOf(hashData);
        if (same >= 0) this.installed.splice(same, 1);
        this.installed.push({ certificateType: p.certificateType, pem: p.certificate, hashData });
        return { reply: { status: 'Accepted' } };
      },
      GetInstalledCertificateIds: (p: { certificateType?: string[] }) => {
        const matching = this.installed.filter(
          (c) => !p.certificateType?.length || p.certificateType.includes(c.certificateType),
        );
        if (matching.length === 0) return { reply: { status: 'NotFound' } };
        return {
          reply: {
            status: 'Accepted',
            certificateHashDataChain: matching.map((c) => ({
              certificateType: c.certificateType,
              certificateHashData: c.hashData,
            })),
          },
        };
      },
      DeleteCertificate: (p: { certificateHashData: CertificateHashData }) => {
        const at = this.indexOf(p.certificateHashData);
        if (at < 0) return { reply: { status: 'NotFound' } };
        this.installed.splice(at, 1);
        return { reply: { status: 'Accepted' } };
      },
    };
  }

  /** A02.FR.07: the station checks the certificate is for the key it made before it keeps it. */
  private onSigned(p: { certificateChain: string; certificateType?: string }): HandlerOutcome {
    const key = this.pendingKey;
    if (!key || (p.certificateType ?? 'ChargingStationCertificate') !== 'ChargingStationCertificate')
      return { reply: { status: 'Rejected' } };
    try {
      const leaf = new x509.X509Certificate(p.certificateChain);
      if (!Buffer.from(leaf.publicKey.rawData).equals(key.spki)) return { reply: { status: 'Rejected' } };
    } catch {
      return { reply: { status: 'Rejected' } };
    }
    this.certificate = { chainPem: p.certificateChain, keyPem: key.keyPem };
    this.pendingKey = undefined;
    return { reply: { status: 'Accepted' } };
  }

  private indexOf(h: CertificateHashData): number {
    const norm = (s: string) => s.toLowerCase().replace(/^0+(?=.)/, '');
    return this.installed.findIndex(
      ({ hashData }) =>
        hashData.hashAlgorithm === h.hashAlgorithm &&
        norm(hashData.issuerNameHash) === norm(h.issuerNameHash) &&
        norm(hashData.issuerKeyHash) === norm(h.issuerKeyHash) &&
        norm(hashData.serialNumber) === norm(h.serialNumber),
    );
  }
}
