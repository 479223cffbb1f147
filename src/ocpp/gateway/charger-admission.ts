import { Injectable, Logger } from '@nestjs/common';
import type { TLSSocket } from 'node:tls';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';
import { OCPP_VERSIONS, type OcppVersion } from '../../common/ocpp-versions';
import { AppConfig } from '../../config/app-config';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { ChargerDirectory, ClientCertificates, type StationAdmission } from './charger-directory';
import { ChargerCredentials, CredentialMatch } from './charger-credentials';

export const OCPP_PATH = '/ocpp';
export const OCPP16 = 'ocpp1.6' satisfies OcppVersion;
export const OCPP201 = 'ocpp2.0.1' satisfies OcppVersion;
/** The subprotocols this gateway speaks, most preferred first. */
export const SUBPROTOCOLS = OCPP_VERSIONS;
export type Subprotocol = OcppVersion;

/** What the gateway keeps of an admitted charger for the life of its socket. */
export interface ChargerSession {
  chargePointId: string;
  stationId: string;
  tenantId: string;
  /** Proved its identity (password or client certificate), so it may replace an older socket. */
  authenticated: boolean;
  /** Registration accepted; until then only BootNotification is answered. */
  accepted: boolean;
  /** The subprotocol the socket speaks (1.6 for a charger that offered none). */
  protocol: Subprotocol;
  /** Whitepaper security profile 0-3 the charger was admitted under. */
  securityProfile: number;
  /** The client's address (X-Forwarded-For believed only through TRUST_PROXY). */
  source: string;
}

/**
 * `subprotocol` is what the handshake answers with: `ocpp2.0.1` when offered (and the station is
 * not pinned to 1.6), else `ocpp1.6`; `false` for a charger that offered none (spoken to in 1.6,
 * with no Sec-WebSocket-Protocol header, as RFC 6455 §4.2.2 requires); or `null` when it offered
 * only others: OCPP-J 1.6 §3.1.2 and 2.0.1 §3.1.2 — "If the CSMS does not agree to using one of
 * the subprotocols offered by the client, it MUST complete the WebSocket handshake with a
 * response without a Sec-WebSocket-Protocol header and then immediately close the WebSocket
 * connection." A refusal's `message` is what the charger sees, its `reason` what the log says.
 */
export type Admission =
  | { ok: true; session: ChargerSession; subprotocol: Subprotocol | false | null }
  | { ok: false; status: number; message: string; reason: string; retryAfterSeconds?: number };

// OCPP 1.6 identities are CiString-like; keep them printable and bounded.
const IDENTITY = /^[A-Za-z0-9._:*+|@#-]{1,48}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The subprotocol to answer: the most preferred one the charger offered and the station may use.
 * Many 1.6 chargers offer none at all; they are spoken to in 1.6 (as SteVe does) unless the
 * station is pinned to other versions.
 */
export function chooseSubprotocol(
  offered: ReadonlySet<string>,
  allowed: readonly string[] | null,
): Subprotocol | false | null {
  const mayUse = (p: Subprotocol) => !allowed || allowed.length === 0 || allowed.includes(p);
  if (offered.size === 0) return mayUse(OCPP16) ? false : null;
  return SUBPROTOCOLS.find((p) => offered.has(p) && mayUse(p)) ?? null;
}

const refuse = (status: number, message: string, reason: string): Admission & { ok: false } => ({
  ok: false,
  status,
  message,
  reason,
});

/**
 * Decides at the WebSocket handshake whether a charger may connect: path, known (or
 * auto-registered) station, the station's security profile (whitepaper profiles 1-3) and the
 * subprotocol. Failed identifications count against the client address and the presented station
 * id together: a stranger's failures (through the same proxy, or with unknown ids) never brake
 * another charger, and a charger's own wrong guesses brake only that id from that address.
 */
@Injectable()
export class ChargerAdmission {
  private readonly logger = new Logger(ChargerAdmission.name);
  readonly failures: AuthFailureLimiter;
  private readonly maxPendingAutoRegistrations: number;
  private readonly credentials: ChargerCredentials;

  constructor(
    config: AppConfig,
    private readonly directory: ChargerDirectory,
    private readonly clientCertificates: ClientCertificates,
  ) {
    this.failures = new AuthFailureLimiter(config.ocpp.authFailureLimitPerMinute);
    this.maxPendingAutoRegistrations = config.ocpp.autoRegistrationMaxPending;
    this.credentials = new ChargerCredentials(config.chargerCredentialPepper);
  }

  /** `source` is the client's real address (X-Forwarded-For believed only through TRUST_PROXY). */
  async admit(
    handshake: IHandshakeInterface,
    source: string,
    isConnected: (chargePointId: string) => boolean | Promise<boolean>,
  ): Promise<Admission> {
    // `/ocpp/{chargePointId}`, or `/ocpp/{tenantId}/{chargePointId}` to auto-register in a tenant.
    const endpoint = handshake.endpoint.replace(/\/+$/, '');
    const tenantPart = endpoint === OCPP_PATH ? null : endpoint.slice(OCPP_PATH.length + 1);
    if ((tenantPart !== null && !UUID.test(tenantPart)) || !IDENTITY.test(handshake.identity))
      return refuse(404, 'Not found', 'malformed path or charge point id');

    const brake = `${source} ${handshake.identity}`;
    const retryAfterSeconds = this.failures.retryAfterSeconds(brake);
    if (retryAfterSeconds > 0)
      return {
        ...refuse(429, 'Too many failed attempts', `too many failed handshakes for this id from ${source}`),
        retryAfterSeconds,
      };

    const station = await this.findOrAutoRegister(handshake.identity, tenantPart);
    if (station === 'pending-cap-reached')
      return this.fail(
        brake,
        404,
        'Not found',
        `auto-registration refused: the tenant already holds ${this.maxPendingAutoRegistrations} pending stations`,
      );
    if (!station) return this.fail(brake, 404, 'Not found', 'unknown charge point id');
    if (tenantPart !== null && station.tenantId !== tenantPart)
      return this.fail(brake, 404, 'Not found', 'charge point id belongs to another tenant');

    const proof = await this.authenticate(station, handshake);
    if (proof === 'tls-required')
      return this.fail(
        brake,
        403,
        'Unauthorized',
        `security profile ${station.securityProfile} requires TLS`,
      );
    if (proof !== 'ok')
      return this.fail(
        brake,
        401,
        'Unauthorized',
        station.securityProfile === 3 ? 'client certificate not accepted' : 'wrong or missing password',
      );
    const authenticated = station.securityProfile > 0;
    // An unauthenticated newcomer must never knock an existing charger off.
    if (!authenticated && (await isConnected(station.chargePointId)))
      return refuse(409, 'Already connected', 'already connected, and the newcomer did not authenticate');
    const subprotocol = chooseSubprotocol(handshake.protocols, station.ocppVersions);
    return {
      ok: true,
      session: {
        chargePointId: station.chargePointId,
        stationId: station.id,
        tenantId: station.tenantId,
        authenticated,
        accepted: station.registrationStatus === 'accepted',
        protocol: subprotocol || OCPP16,
        securityProfile: station.securityProfile,
        source,
      },
      subprotocol,
    };
  }

  private async findOrAutoRegister(
    chargePointId: string,
    tenantId: string | null,
  ): Promise<StationAdmission | 'pending-cap-reached' | null> {
    const station = await this.directory.findForAdmission(chargePointId);
    if (station) return station;
    return this.directory.autoRegister(tenantId, chargePointId, this.maxPendingAutoRegistrations);
  }

  private async authenticate(
    station: StationAdmission,
    handshake: IHandshakeInterface,
  ): Promise<'ok' | 'failed' | 'tls-required'> {
    const socket = handshake.request.socket as Partial<TLSSocket>;
    const tls = socket.encrypted === true;
    switch (station.securityProfile) {
      case 0:
        return 'ok';
      case 1:
        return (await this.passwordMatches(station, handshake.password)) ? 'ok' : 'failed';
      case 2:
        if (!tls) return 'tls-required';
        return (await this.passwordMatches(station, handshake.password)) ? 'ok' : 'failed';
      case 3: {
        if (!tls) return 'tls-required';
        if (!socket.authorized) return 'failed';
        const cert = socket.getPeerCertificate?.(true);
        const cn = cert?.subject?.CN;
        if ((Array.isArray(cn) ? cn[0] : cn) !== station.chargePointId) return 'failed';
        const admitted = await this.clientCertificates.admits(station.id, {
          serialNumber: cert!.serialNumber,
          issuerFingerprint256: cert!.issuerCertificate?.fingerprint256,
        });
        return admitted ? 'ok' : 'failed';
      }
      default:
        return 'failed';
    }
  }

  /**
   * The station's password, or during an AuthorizationKey change the previous one. The first
   * handshake with the new password retires the previous one; a legacy argon2 hash of a strong
   * password is replaced by its keyed hash on its first match.
   */
  private async passwordMatches(station: StationAdmission, password: Buffer | undefined): Promise<boolean> {
    if (!password || password.length === 0 || password.length > 256) return false;
    const secret = password.toString('utf8');
    const { passwordHash, previousPasswordHash } = station;
    const current: CredentialMatch = passwordHash
      ? await this.credentials.verify(passwordHash, secret)
      : { ok: false };
    if (passwordHash && current.ok) {
      if (current.rehashed || previousPasswordHash)
        await this.directory
          .settleCredential(station.id, passwordHash, current.rehashed ?? passwordHash)
          .catch((err: unknown) =>
            this.logger.warn({ err, chargePointId: station.chargePointId }, 'Charger password not updated'),
          );
      return true;
    }
    return previousPasswordHash !== null && (await this.credentials.verify(previousPasswordHash, secret)).ok;
  }

  private fail(brake: string, status: number, message: string, reason: string): Admission {
    this.failures.recordFailure(brake);
    return refuse(status, message, reason);
  }
}
