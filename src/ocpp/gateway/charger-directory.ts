import type { OcppVersion } from '../../common/ocpp-versions';

/** What the gateway needs to know of a station to admit a charger at the handshake. */
export interface StationAdmission {
  id: string;
  tenantId: string;
  chargePointId: string;
  registrationStatus: string;
  /** Whitepaper security profile 0-3. */
  securityProfile: number;
  passwordHash: string | null;
  /** Still accepted during an AuthorizationKey change. */
  previousPasswordHash: string | null;
  /** The subprotocols the station is pinned to; null or empty: any. */
  ocppVersions: readonly string[] | null;
}

/**
 * The stations a charger may connect as. The gateway defines it and the stations module
 * implements it, so the gateway imports no feature module.
 */
export abstract class ChargerDirectory {
  /** The station registered under this charge point id, or null. */
  abstract findForAdmission(chargePointId: string): Promise<StationAdmission | null>;

  /**
   * Registers an unknown charger as `pending` in the tenant (null: the default tenant) when that
   * tenant is active and allows it; null when it does not, `pending-cap-reached` when it already
   * holds `maxPending` pending stations.
   */
  abstract autoRegister(
    tenantId: string | null,
    chargePointId: string,
    maxPending: number,
  ): Promise<StationAdmission | 'pending-cap-reached' | null>;

  /** The charger proved the password stored as `current`: store `next` and retire the previous one. */
  abstract settleCredential(stationId: string, current: string, next: string): Promise<void>;
}

/** What the TLS server verified of a charger's client certificate (security profile 3). */
export interface ClientCertificate {
  /** Hex, as Node reports it. */
  serialNumber: string;
  /** SHA-256 of the certificate that signed it, colon-separated hex as Node reports it. */
  issuerFingerprint256: string | undefined;
}

/**
 * Whether a verified client certificate whose CN is the station's id may admit that station:
 * implemented by the certificates module, which knows what Kilowatt's CA issued and revoked.
 */
export abstract class ClientCertificates {
  abstract admits(stationId: string, cert: ClientCertificate): Promise<boolean>;
}

/** Where the gateway writes whether a station is connected. Implemented by the stations module. */
export abstract class StationPresence {
  abstract markOnline(stationId: string, at: Date, ocppVersion: OcppVersion): Promise<void>;

  /** `lastSeenAt`: the last frame received, when this node knows it. */
  abstract markOffline(stationId: string, lastSeenAt: Date | undefined): Promise<void>;

  /** At the start of a node that holds every charger (no broker): none is connected yet. */
  abstract markAllOffline(): Promise<void>;

  /** The time of each station's last frame, coalesced; never moves a value backwards. */
  abstract recordLastSeen(seen: ReadonlyMap<string, Date>): Promise<void>;
}
