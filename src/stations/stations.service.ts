import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { isAdmin } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { ChargerCredentials } from '../ocpp/gateway/charger-credentials';
import { isForeignKeyViolation, isUniqueViolation } from '../database/db-errors';
import {
  CHARGER_PASSWORD,
  CHARGER_PASSWORD_RULE,
  CreateStationDto,
  StationQueryDto,
  UpdateConnectorDto,
  UpdateStationDto,
} from './dto/station.dto';
import { parsePoint } from './site-rules';
import { SitesRepository } from './sites.repository';
import type { OcppVersion } from '../common/ocpp-versions';
import { ConnectorRow, StationRow } from './stations.tables';
import { StationChanges, StationsRepository } from './stations.repository';
import { TenantScope, insertInTenant, owningTenant, readScope } from './tenant-scope';

/** A station with its connectors (ordered by connectorId), as every read returns it. */
export interface StationView {
  station: StationRow;
  connectors: ConnectorRow[];
  distanceM?: number | null;
}

const invalid = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, { fields: [{ field, errors: [message] }] });

const needsPassword = (profile: number) => profile === 1 || profile === 2;

@Injectable()
export class StationsService {
  private readonly credentials: ChargerCredentials;

  constructor(
    private readonly stations: StationsRepository,
    private readonly sites: SitesRepository,
    config: AppConfig,
  ) {
    this.credentials = new ChargerCredentials(config.chargerCredentialPepper);
  }

  async create(actor: Actor, dto: CreateStationDto): Promise<StationView> {
    const tenantId = owningTenant(actor, dto.tenantId);
    const securityProfile = dto.securityProfile ?? 0;
    this.checkCredentials(securityProfile, dto.password !== undefined, dto.password !== undefined);
    if (dto.siteId) await this.requireSite(tenantId, dto.siteId);
    try {
      const passwordHash = dto.password === undefined ? null : await this.credentials.hash(dto.password);
      const station = await insertInTenant(tenantId, () =>
        this.stations.insert(
          tenantId,
          {
            chargePointId: dto.chargePointId,
            siteId: dto.siteId ?? null,
            name: dto.name ?? null,
            securityProfile,
            passwordHash,
            ocppVersions: dto.ocppVersions ?? null,
          },
          dto.connectors ?? [],
        ),
      );
      return (await this.withConnectors(tenantId, [{ station }]))[0];
    } catch (e) {
      // Platform-wide uniqueness: say only that it is taken, never by whom.
      if (isUniqueViolation(e)) {
        throw new DomainError('CHARGE_POINT_ID_TAKEN', `chargePointId ${dto.chargePointId} is already taken`);
      }
      throw e;
    }
  }

  async list(actor: Actor, q: StationQueryDto): Promise<Page<StationView>> {
    const near = q.near === undefined ? undefined : parsePoint(q.near);
    if (near === null) throw invalid('near', 'near must be "lat,lng" with -90..90 and -180..180');
    if (q.radiusKm !== undefined && !near) throw invalid('radiusKm', 'radiusKm needs near');
    const after = decodeCursor(q.cursor, near ? 'number' : 'text');
    const limit = q.limit ?? 50;
    const rows = await this.stations.listPage(
      readScope(actor),
      {
        acceptedOnly: !isAdmin(actor),
        near,
        radiusM: q.radiusKm === undefined ? undefined : q.radiusKm * 1000,
        siteId: q.siteId,
        status: q.status,
        connectorType: q.connectorType,
        minPowerW: q.minPowerW,
      },
      limit + 1,
      after,
    );
    const views = await this.withConnectors(
      readScope(actor),
      rows.map((r) => ({ station: r.station, distanceM: r.distanceM })),
    );
    return toPage(
      views,
      limit,
      (v) => v,
      (v) =>
        near
          ? { k: String(v.distanceM), id: v.station.id }
          : { k: v.station.chargePointId, id: v.station.id },
    );
  }

  /** The station with its live connectors; 404 for another tenant's (and for users, a not accepted one). */
  async findByIdForActor(actor: Actor, id: string): Promise<StationView> {
    const scope = readScope(actor);
    const station = await this.stations.findById(scope, id, !isAdmin(actor));
    if (!station) throw notFound('Station', id);
    return (await this.withConnectors(scope, [{ station }]))[0];
  }

  async findByChargePointIdForActor(actor: Actor, chargePointId: string): Promise<StationView> {
    const scope = readScope(actor);
    const station = await this.stations.findByChargePointId(scope, chargePointId, !isAdmin(actor));
    if (!station) throw notFound('Station', chargePointId);
    return (await this.withConnectors(scope, [{ station }]))[0];
  }

  async update(actor: Actor, id: string, dto: UpdateStationDto): Promise<StationView> {
    const scope = readScope(actor);
    const current = await this.stations.findById(scope, id);
    if (!current) throw notFound('Station', id);
    const securityProfile = dto.securityProfile ?? current.securityProfile;
    const hasPassword = dto.password !== undefined || current.passwordHash !== null;
    this.checkCredentials(securityProfile, hasPassword, dto.password !== undefined);
    if (dto.siteId) await this.requireSite(current.tenantId, dto.siteId);
    const changes: StationChanges = {
      name: dto.name,
      siteId: dto.siteId,
      securityProfile: dto.securityProfile,
      registrationStatus: dto.registrationStatus,
      ocppVersions: dto.ocppVersions,
    };
    if (dto.password !== undefined) changes.passwordHash = await this.credentials.hash(dto.password);
    // Profiles 0 and 3 authenticate without a password: drop a stale one.
    else if (!needsPassword(securityProfile)) changes.passwordHash = null;
    // An administrator's password ends any AuthorizationKey change under way.
    if (changes.passwordHash !== undefined) changes.previousPasswordHash = null;
    const station = await this.stations.update(scope, id, changes, dto.connectors);
    if (!station) throw notFound('Station', id);
    return (await this.withConnectors(scope, [{ station }]))[0];
  }

  async setPassword(actor: Actor, id: string, password: string): Promise<void> {
    const current = await this.stations.findById(readScope(actor), id);
    if (!current) throw notFound('Station', id);
    this.checkCredentials(current.securityProfile, true, true);
    await this.stations.update(readScope(actor), id, {
      passwordHash: await this.credentials.hash(password),
      previousPasswordHash: null,
    });
  }

  /**
   * Before an AuthorizationKey is sent to the charger: it becomes the station's password, and the
   * current one stays valid until the charger connects with the new one (or refuses it). Answers
   * the stored form, for `abandonPasswordChange`.
   */
  async beginPasswordChange(tenantId: string, stationId: string, key: string): Promise<string> {
    if (!CHARGER_PASSWORD.test(key))
      throw invalid('value', CHARGER_PASSWORD_RULE.replace('password', 'an AuthorizationKey value'));
    const next = await this.credentials.hash(key);
    if (!(await this.stations.beginPasswordChange(tenantId, stationId, next)))
      throw new DomainError(
        'CONFLICT',
        'The previous AuthorizationKey change still waits for the charger to connect with the new key; ' +
          'PUT /stations/{id}/password sets one without the charger',
      );
    return next;
  }

  /** The charger refused the key: its previous password is its password again. */
  abandonPasswordChange(tenantId: string, stationId: string, next: string): Promise<void> {
    return this.stations.abandonPasswordChange(tenantId, stationId, next);
  }

  async updateConnector(
    actor: Actor,
    id: string,
    connectorId: number,
    dto: UpdateConnectorDto,
  ): Promise<ConnectorRow> {
    const station = await this.stations.findById(readScope(actor), id);
    if (!station) throw notFound('Station', id);
    return this.stations.upsertConnectorSettings(station.tenantId, station.id, connectorId, {
      type: dto.type,
      maxPowerW: dto.maxPowerW,
    });
  }

  /** Removes a declared connector the charger has never reported (409 once it has). */
  async removeConnector(actor: Actor, id: string, connectorId: number): Promise<void> {
    const station = await this.stations.findById(readScope(actor), id);
    if (!station) throw notFound('Station', id);
    if (await this.stations.deleteUnreportedConnector(station.tenantId, station.id, connectorId)) return;
    if (!(await this.stations.findConnector(station.tenantId, station.id, connectorId)))
      throw notFound(`Connector ${connectorId} of station`, id);
    throw new DomainError(
      'CONFLICT',
      `Connector ${connectorId} has been reported by the charger; it would come back with its next status`,
    );
  }

  /** The connector of a station the actor may see; 404 when either is unknown. */
  async findConnectorForActor(
    actor: Actor,
    id: string,
    connectorId: number,
  ): Promise<StationView & { connector: ConnectorRow }> {
    const view = await this.findByIdForActor(actor, id);
    const connector = view.connectors.find((c) => c.connectorId === connectorId);
    if (!connector) throw notFound(`Connector ${connectorId} of station`, id);
    return { ...view, connector };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    try {
      if (!(await this.stations.delete(readScope(actor), id))) throw notFound('Station', id);
    } catch (e) {
      if (isForeignKeyViolation(e)) {
        throw new DomainError('CONFLICT', `Station ${id} has charging sessions and cannot be deleted`);
      }
      throw e;
    }
  }

  /** Stations of a site (for its QR sheet), with connectors. */
  async listBySite(actor: Actor, siteId: string): Promise<StationView[]> {
    const filters = { acceptedOnly: !isAdmin(actor), siteId };
    const rows: StationRow[] = [];
    for (let after: { k: string; id: string } | null = null; ;) {
      const page = await this.stations.listPage(readScope(actor), filters, 500, after);
      rows.push(...page.map((r) => r.station));
      if (page.length < 500) break;
      const last = rows[rows.length - 1];
      after = { k: last.chargePointId, id: last.id };
    }
    return this.withConnectors(
      readScope(actor),
      rows.map((station) => ({ station })),
    );
  }

  /** For tariffs: the station's site and time zone, inside one tenant; null when unknown. */
  pricingContext(tenantId: string, stationId: string) {
    return this.stations.pricingContext(tenantId, stationId);
  }

  /** For tariffs: whether a site belongs to the tenant (null scope = any tenant). */
  async siteTenant(scope: TenantScope, siteId: string): Promise<string | null> {
    return (await this.sites.findById(scope, siteId))?.tenantId ?? null;
  }

  /** The OCPP version of the station's current or last connection (null before its first). */
  async ocppVersionOf(tenantId: string, stationId: string): Promise<OcppVersion | null> {
    return (await this.stations.findById(tenantId, stationId))?.ocppVersion ?? null;
  }

  /** For tariffs: the tenant of a station within the scope, or null. */
  async stationTenant(scope: TenantScope, stationId: string): Promise<string | null> {
    return (await this.stations.findById(scope, stationId))?.tenantId ?? null;
  }

  private checkCredentials(profile: number, hasPassword: boolean, passwordGiven: boolean): void {
    if (needsPassword(profile) && !hasPassword) {
      throw invalid('password', `password is required for security profile ${profile} (Basic Auth)`);
    }
    if (!needsPassword(profile) && passwordGiven) {
      throw invalid('password', `security profile ${profile} does not use a password`);
    }
  }

  private async requireSite(tenantId: string, siteId: string): Promise<void> {
    if (!(await this.sites.findById(tenantId, siteId))) throw notFound('Site', siteId);
  }

  private async withConnectors<V extends { station: StationRow }>(
    scope: TenantScope,
    views: V[],
  ): Promise<(V & StationView)[]> {
    const byStation = new Map<string, ConnectorRow[]>();
    for (const c of await this.stations.connectorsOf(
      scope,
      views.map((v) => v.station.id),
    )) {
      byStation.set(c.stationId, [...(byStation.get(c.stationId) ?? []), c]);
    }
    return views.map((v) => ({ ...v, connectors: byStation.get(v.station.id) ?? [] }));
  }
}
