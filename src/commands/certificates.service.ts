import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { SecurityEventsService } from '../integrator-security/audit/security-events.service';
import { DomainError } from '../common/domain-error';
import { ChargerCommands } from '../ocpp/gateway/charger-commands';
import { CertificateAuthority, checkCsr } from './certificate-authority';
import { CertificatesRepository } from './certificates.repository';
import type { IssuedCertificateRow } from './certificates.tables';

export interface CertificateHolder {
  tenantId: string;
  stationId: string;
  chargePointId: string;
}

/** `chain` is the PEM to deliver with CertificateSigned. */
/** `reasonCode` of a refusal: InvalidCSR unless said. */
export type SigningOutcome =
  | { accepted: true; issuedId: string; chain: string }
  | { accepted: false; reason: string; reasonCode?: string };

/** How many of a station's issued certificates the list shows, newest first. */
export const ISSUED_LIST_LIMIT = 100;

/**
 * How many certificates one station gets signed in 24 hours: a renewal takes one, a retry after a
 * lost CertificateSigned another; a station asking in a loop is refused until the day has passed,
 * instead of filling the table.
 */
export const SIGNED_PER_DAY = 10;
const DAY_MS = 24 * 3600_000;

/**
 * Kilowatt's CSMS certificate authority at work: signs a station's checked CSR, records the
 * certificate (committed before the station hears Accepted), delivers it with CertificateSigned
 * and records the station's answer.
 */
@Injectable()
export class CertificatesService {
  private readonly logger = new Logger(CertificatesService.name);

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly repository: CertificatesRepository,
    private readonly chargers: ChargerCommands,
    private readonly clock: Clock,
    private readonly audit: SecurityEventsService,
  ) {}

  /** Checks and signs a station's own certificate request; nothing is recorded when it is refused. */
  async sign(holder: CertificateHolder, csr: string): Promise<SigningOutcome> {
    const since = new Date(this.clock.now().getTime() - DAY_MS);
    if ((await this.repository.countIssuedSince(holder.tenantId, holder.stationId, since)) >= SIGNED_PER_DAY)
      return {
        accepted: false,
        reason: `At most ${SIGNED_PER_DAY} certificates are signed for a station in 24 hours`,
        reasonCode: 'TooManyRequests',
      };
    const verdict = await checkCsr(csr, holder.chargePointId);
    if (!verdict.ok) {
      this.logger.log({ chargePointId: holder.chargePointId, reason: verdict.reason }, 'CSR rejected');
      return { accepted: false, reason: verdict.reason };
    }
    const issued = await this.ca.issue(verdict.csr, this.clock.now());
    const row = await this.repository.insertIssued(holder.tenantId, {
      stationId: holder.stationId,
      serialNumber: issued.serialNumber,
      sha256Fingerprint: issued.sha256Fingerprint,
      subject: issued.subject,
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      certificateChain: issued.chainPem,
      issuedAt: this.clock.now(),
    });
    return { accepted: true, issuedId: row.id, chain: issued.chainPem };
  }

  /**
   * Sends a signed certificate to its station (CertificateSigned, OCPP 2.0.1 A02) and records the
   * answer, or why none came. Never throws.
   */
  async deliver(holder: CertificateHolder, issuedId: string, chain: string): Promise<void> {
    let status: 'accepted' | 'rejected' | 'failed';
    let error: string | null = null;
    try {
      const reply = await this.chargers.call<{ status?: string }>(holder.chargePointId, 'CertificateSigned', {
        certificateChain: chain,
        certificateType: 'ChargingStationCertificate',
      });
      status = reply.status === 'Accepted' ? 'accepted' : 'rejected';
    } catch (err) {
      status = 'failed';
      error = err instanceof DomainError ? err.code : 'INTERNAL_ERROR';
      this.logger.warn({ err, chargePointId: holder.chargePointId }, 'CertificateSigned not delivered');
    }
    try {
      await this.repository.recordDelivery(holder.tenantId, issuedId, status, error, this.clock.now());
    } catch (err) {
      this.logger.warn({ err, chargePointId: holder.chargePointId }, 'Certificate delivery not recorded');
    }
  }

  /** Revokes a certificate of the station, in the security audit log; NOT_FOUND when it has no such one. */
  async revoke(
    actor: Actor,
    tenantId: string,
    stationId: string,
    certificateId: string,
  ): Promise<IssuedCertificateRow> {
    const done = await this.repository.revoke(tenantId, stationId, certificateId, this.clock.now());
    if (!done) throw new DomainError('NOT_FOUND', `Certificate ${certificateId} not found for this station`);
    if (done.revokedNow)
      await this.audit.record({
        type: 'certificate_revoked',
        tenantId,
        userId: actor.userId ?? null,
        apiKeyId: actor.apiKeyId ?? null,
        details: { stationId, certificateId, serialNumber: done.row.serialNumber },
      });
    return done.row;
  }

  listIssued(tenantId: string, stationId: string): Promise<IssuedCertificateRow[]> {
    return this.repository.listByStation(tenantId, stationId, ISSUED_LIST_LIMIT);
  }
}
