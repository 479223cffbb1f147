import type { CertificatesService } from '../../commands/certificates.service';
import type { ChargerNotificationsRepository } from '../charger-notifications.repository';
import type { Handler } from '../gateway/handler';

/** OCPP 2.0.1 SignCertificateRequest. */
export interface SignCertificateRequest {
  /** PEM-encoded PKCS#10 (string[5500]). */
  csr: string;
  certificateType?: 'ChargingStationCertificate' | 'V2GCertificate';
}

export interface SignCertificateResponse {
  status: 'Accepted' | 'Rejected';
  statusInfo?: { reasonCode: string; additionalInfo?: string };
}

// StatusInfo: reasonCode string[20], additionalInfo string[512].
const rejected = (reasonCode: string, additionalInfo: string): SignCertificateResponse => ({
  status: 'Rejected',
  statusInfo: { reasonCode, additionalInfo: additionalInfo.slice(0, 512) },
});

/**
 * A02/A03/A05: a station asks Kilowatt's CSMS CA to sign its own certificate. The request is
 * stored with the station's notifications; from a station connected over TLS (profile 2 or 3), a
 * CSR that passes the checks is signed and recorded before the answer, and the certificate
 * follows it in CertificateSigned. Kilowatt runs no ISO 15118 PKI, so V2G certificates are refused.
 */
export const signCertificate =
  (
    store: ChargerNotificationsRepository,
    certificates: CertificatesService,
  ): Handler<SignCertificateRequest, SignCertificateResponse> =>
  async ({ params, ...charger }) => {
    await store.record(charger.tenantId, {
      stationId: charger.stationId,
      action: 'SignCertificate',
      payload: params,
    });
    // A certificate is a credential for profile 3: it is signed only for a station that proved its
    // identity over TLS (profile 2, upgrading, or 3, renewing), never for a bare id on plain ws.
    if ((charger.securityProfile ?? 0) < 2)
      return rejected(
        'InsecureConnection',
        'Certificates are signed only for stations connected with security profile 2 or 3',
      );
    if (params.certificateType === 'V2GCertificate')
      return rejected(
        'NotSupported',
        'V2G certificates are not signed here: this CSMS runs no ISO 15118 PKI',
      );
    const outcome = await certificates.sign(charger, params.csr);
    if (!outcome.accepted) return rejected(outcome.reasonCode ?? 'InvalidCSR', outcome.reason);
    // A02.FR.06: the certificate is sent once the request is answered.
    setImmediate(() => void certificates.deliver(charger, outcome.issuedId, outcome.chain));
    return { status: 'Accepted' };
  };
