import { X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ClientCertificate, ClientCertificates } from '../ocpp/gateway/charger-directory';
import { CertificateAuthority } from './certificate-authority';
import { CertificatesRepository } from './certificates.repository';

/** The gateway's check of profile 3 client certificates against what Kilowatt's CA issued and revoked. */
@Injectable()
export class IssuedClientCertificates implements ClientCertificates {
  /** As Node's TLS reports an issuer: colon-separated upper-case hex. */
  private readonly caFingerprint256: string;

  constructor(
    ca: CertificateAuthority,
    private readonly repository: CertificatesRepository,
  ) {
    this.caFingerprint256 = new X509Certificate(ca.certPem).fingerprint256;
  }

  /**
   * Whether a client certificate the TLS server verified, its CN the station's id, may admit this
   * station: not when Kilowatt's CA signed it for another station, nor once it was revoked. One the
   * CA has no record of (signed with CA_CERT_FILE/CA_KEY_FILE outside Kilowatt, for provisioning)
   * and one of the operator's own CA (TLS_CA_FILE) are the operator's to manage: admitted.
   */
  async admits(stationId: string, cert: ClientCertificate): Promise<boolean> {
    if (cert.issuerFingerprint256 !== this.caFingerprint256) return true;
    // Both are the DER integer's bytes in hex, as many digits as bytes (a leading zero kept).
    const row = await this.repository.findBySerial(cert.serialNumber.toLowerCase());
    return row === undefined || (row.stationId === stationId && row.revokedAt === null);
  }
}
