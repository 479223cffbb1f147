import { Injectable, Logger } from '@nestjs/common';
import type { TLSSocket } from 'node:tls';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';
import { AppConfig } from '../../config/app-config';
import { ChargerStateService, StationAdmission } from '../../stations/charger-state.service';
import { TenantsService } from '../../tenants/tenants.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { ChargerCredentials, CredentialMatch } from './charger-credentials';

export const OCPP_PATH = '/ocpp';
export const OCPP16 = 'ocpp1.6';

/** What the gateway keeps of an admitted charger for the life of its socket. */
export interface ChargerSession {
  chargePointId: string;
  stationId: string;
  tenantId: string;
  /** Proved its identity (password or client certificate), so it may replace an older socket. */
  authenticated: boolean;
  /** Registration accepted; until then only BootNotification is answered. */
  accepted: boolean;
}

export type Admission =
  | { ok: true; session: ChargerSession }
  | { ok: false; status: number; message: string; retryAfterSeconds?: number };

// OCPP 1.6 identities are CiString-like; keep them printable and bounded.
const IDENTITY = /^[A-Za-z0-9._:*+|@#-]{1,48}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const refuse = (status: number, message: string): Admission => ({ ok: false, status, message });

/**
 * Decides at the WebSocket handshake whether a charger may connect: path, subprotocol, known (or
 * auto-registered) station, and the station's security profile (whitepaper profiles 1-3).
 * Failed identifications count against the source address.
 */
@Injectable()
export class ChargerAdmission {
  private readonly logger = new Logger(ChargerAdmission.name);
  readonly failures: AuthFailureLimiter;
  private readonly credentials: ChargerCredentials;

  constructor(
    config: AppConfig,
    private readonly chargerState: ChargerStateService,
    private readonly tenants: TenantsService,
  ) {
    this.failures = new AuthFailureLimiter(config.ocpp.authFailureLimitPerMinute);
    this.credentials = new ChargerCredentials(config.chargerCredentialPepper);
  }

  async admit(
    handshake: IHandshakeInterface,
    isConnected: (chargePointId: string) => boolean | Promise<boolean>,
  ): Promise<Admission> {
    const source = handshake.remoteAddress ?? 'unknown';
    const retryAfterSeconds = this.failures.retryAfterSeconds(source);
    if (retryAfterSeconds > 0)
      return { ok: false, status: 429, message: 'Too many failed attempts', retryAfterSeconds };

    // `/ocpp/{chargePointId}`, or `/ocpp/{tenantId}/{chargePointId}` to auto-register in a tenant.
    const endpoint = handshake.endpoint.replace(/\/+$/, '');
    const tenantPart = endpoint === OCPP_PATH ? null : endpoint.slice(OCPP_PATH.length + 1);
    if ((tenantPart !== null && !UUID.test(tenantPart)) || !IDENTITY.test(handshake.identity))
      return refuse(404, 'Not found');
    if (!handshake.protocols.has(OCPP16)) return refuse(400, `Subprotocol ${OCPP16} required`);

    const station = await this.findOrAutoRegister(handshake.identity, tenantPart);
    if (!station || (tenantPart !== null && station.tenantId !== tenantPart))
      return this.fail(source, 404, 'Not found');

    const proof = await this.authenticate(station, handshake);
    if (proof !== 'ok') return this.fail(source, proof === 'tls-required' ? 403 : 401, 'Unauthorized');
    const authenticated = station.securityProfile > 0;
    // An unauthenticated newcomer must never knock an existing charger off.
    if (!authenticated && (await isConnected(station.chargePointId))) return refuse(409, 'Already connected');
    return {
      ok: true,
      session: {
        chargePointId: station.chargePointId,
        stationId: station.id,
        tenantId: station.tenantId,
        authenticated,
        accepted: station.registrationStatus === 'accepted',
      },
    };
  }

  private async findOrAutoRegister(
    chargePointId: string,
    tenantId: string | null,
  ): Promise<StationAdmission | null> {
    const station = await this.chargerState.findForAdmission(chargePointId);
    if (station) return station;
    const tenant = tenantId
      ? await this.tenants.findById(tenantId)
      : await this.tenants.ensureDefaultTenant();
    if (!tenant || tenant.status !== 'active' || !tenant.allowAutoRegistration) return null;
    return this.chargerState.autoRegister(tenant.id, chargePointId);
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
        const cert = socket.getPeerCertificate?.();
        const cn = cert?.subject?.CN;
        return (Array.isArray(cn) ? cn[0] : cn) === station.chargePointId ? 'ok' : 'failed';
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
        await this.chargerState
          .settleCredential(station.id, passwordHash, current.rehashed ?? passwordHash)
          .catch((err: unknown) =>
            this.logger.warn({ err, chargePointId: station.chargePointId }, 'Charger password not updated'),
          );
      return true;
    }
    return previousPasswordHash !== null && (await this.credentials.verify(previousPasswordHash, secret)).ok;
  }

  private fail(source: string, status: number, message: string): Admission {
    this.failures.recordFailure(source);
    return refuse(status, message);
  }
}
