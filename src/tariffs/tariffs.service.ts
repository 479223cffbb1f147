import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError, FieldError, notFound } from '../common/domain-error';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { StationsService } from '../stations/stations.service';
import { insertInTenant, owningTenant, readScope } from '../stations/tenant-scope';
import { CreateTariffDto, TariffQueryDto } from './dto/tariff.dto';
import { TariffResponse, TariffScope } from './dto/tariff.response';
import { UpdateTariffDto } from './dto/update-tariff.dto';
import { TariffPlan, TariffPricingError, checkTariffPlan } from './tariff-pricing';
import { TariffChanges, TariffsRepository } from './tariffs.repository';
import { TariffRow } from './tariffs.tables';

/** The plan in force for a station, ready to be frozen on a session as a JSON snapshot. */
export interface ResolvedTariff {
  tariffId: string;
  /** The tariff's version when resolved; later edits bump it and never touch this snapshot. */
  tariffVersion: number;
  name: string;
  scope: TariffScope;
  plan: TariffPlan;
}

const REQUIRED = [
  'name',
  'currency',
  'energyPerKwhMinor',
  'timePerHourMinor',
  'sessionFeeMinor',
  'idleFeePerMinuteMinor',
  'idleGraceMinutes',
  'timeOfUse',
  'taxRatePercent',
  'pricesIncludeTax',
] as const;

const validation = (fields: FieldError[]) =>
  new DomainError('VALIDATION_FAILED', fields.flatMap((f) => f.errors).join('; '), { fields });
const fieldError = (field: string, message: string) => validation([{ field, errors: [message] }]);

export const scopeOf = (r: TariffRow): TariffScope =>
  r.stationId ? 'station' : r.siteId ? 'site' : 'tenant';

/** The row's prices as the pricing function takes them, in the given time zone. */
export const planOf = (r: TariffRow, timeZone: string): TariffPlan => ({
  currency: r.currency,
  energyPerKwhMinor: r.energyPerKwhMinor,
  timePerHourMinor: r.timePerHourMinor,
  sessionFeeMinor: r.sessionFeeMinor,
  idleFeePerMinuteMinor: r.idleFeePerMinuteMinor,
  idleGraceMinutes: r.idleGraceMinutes,
  timeOfUse: r.timeOfUse.map((w) => ({
    days: [...w.days],
    start: w.start,
    end: w.end,
    energyPerKwhMinor: w.energyPerKwhMinor,
  })),
  taxRatePercent: r.taxRateE4 / 10_000,
  pricesIncludeTax: r.pricesIncludeTax,
  minSessionMinor: r.minSessionMinor,
  maxSessionMinor: r.maxSessionMinor,
  timeZone,
});

export function toTariffResponse(r: TariffRow): TariffResponse {
  const { timeZone: _zone, ...prices } = planOf(r, 'UTC');
  return {
    id: r.id,
    tenantId: r.tenantId,
    name: r.name,
    ...prices,
    scope: scopeOf(r),
    stationId: r.stationId,
    siteId: r.siteId,
    validFrom: r.validFrom?.toISOString() ?? null,
    validUntil: r.validUntil?.toISOString() ?? null,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

@Injectable()
export class TariffsService {
  constructor(
    private readonly tariffs: TariffsRepository,
    private readonly stations: StationsService,
  ) {}

  async create(actor: Actor, dto: CreateTariffDto): Promise<TariffRow> {
    const { tenantId: requested, taxRatePercent, validFrom, validUntil, ...fields } = dto;
    const target = await this.assignment(actor, dto.stationId ?? null, dto.siteId ?? null);
    const tenantId = target ?? owningTenant(actor, requested);
    if (target && requested !== undefined && requested !== target) {
      throw fieldError('tenantId', 'tenantId differs from the tenant of the station or site');
    }
    const row = {
      tenantId,
      name: fields.name,
      currency: fields.currency,
      energyPerKwhMinor: fields.energyPerKwhMinor,
      timePerHourMinor: fields.timePerHourMinor ?? 0,
      sessionFeeMinor: fields.sessionFeeMinor ?? 0,
      idleFeePerMinuteMinor: fields.idleFeePerMinuteMinor ?? 0,
      idleGraceMinutes: fields.idleGraceMinutes ?? 0,
      timeOfUse: fields.timeOfUse ?? [],
      taxRateE4: Math.round((taxRatePercent ?? 0) * 10_000),
      pricesIncludeTax: fields.pricesIncludeTax ?? false,
      minSessionMinor: fields.minSessionMinor ?? null,
      maxSessionMinor: fields.maxSessionMinor ?? null,
      stationId: dto.stationId ?? null,
      siteId: dto.siteId ?? null,
      validFrom: validFrom ? new Date(validFrom) : null,
      validUntil: validUntil ? new Date(validUntil) : null,
    };
    this.check(row as TariffRow);
    return insertInTenant(tenantId, () => this.tariffs.insert(tenantId, row));
  }

  async list(actor: Actor, q: TariffQueryDto): Promise<Page<TariffResponse>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, 'text');
    const rows = await this.tariffs.listPage(
      readScope(actor),
      { stationId: q.stationId, siteId: q.siteId },
      limit + 1,
      after,
    );
    return toPage(rows, limit, toTariffResponse, (r) => ({ k: r.name, id: r.id }));
  }

  async get(actor: Actor, id: string): Promise<TariffRow> {
    const row = await this.tariffs.findById(readScope(actor), id);
    if (!row) throw notFound('Tariff', id);
    return row;
  }

  async update(actor: Actor, id: string, dto: UpdateTariffDto): Promise<TariffRow> {
    const current = await this.get(actor, id);
    const nulls = REQUIRED.filter((k) => dto[k] === null);
    if (nulls.length)
      throw validation(nulls.map((field) => ({ field, errors: [`${field} cannot be null`] })));
    const { taxRatePercent, validFrom, validUntil, ...fields } = dto;
    // DTO instances carry every declared field, unset ones as undefined: keep only those sent.
    const changes = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    ) as TariffChanges;
    if (taxRatePercent !== undefined) changes.taxRateE4 = Math.round(taxRatePercent * 10_000);
    if (validFrom !== undefined) changes.validFrom = validFrom === null ? null : new Date(validFrom);
    if (validUntil !== undefined) changes.validUntil = validUntil === null ? null : new Date(validUntil);
    if (dto.stationId !== undefined || dto.siteId !== undefined) {
      changes.stationId = dto.stationId ?? null;
      changes.siteId = dto.siteId ?? null;
      const target = await this.assignment(actor, changes.stationId, changes.siteId);
      if (target && target !== current.tenantId)
        throw notFound(changes.stationId ? 'Station' : 'Site', (changes.stationId ?? changes.siteId)!);
    }
    this.check({ ...current, ...changes } as TariffRow);
    const row = await this.tariffs.update(readScope(actor), id, changes);
    if (!row) throw notFound('Tariff', id);
    return row;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.tariffs.delete(readScope(actor), id))) throw notFound('Tariff', id);
  }

  /**
   * The plan in force at `at` for a station of the tenant, in its site's time zone (UTC without a
   * site): station-specific beats site beats tenant default. Null when the station is unknown in
   * this tenant or no tariff applies — never a zero price.
   */
  async planFor(tenantId: string, stationId: string, at: Date): Promise<ResolvedTariff | null> {
    const station = await this.stations.pricingContext(tenantId, stationId);
    if (!station) return null;
    const row = await this.tariffs.inForce(tenantId, stationId, station.siteId, at);
    if (!row) return null;
    return {
      tariffId: row.id,
      tariffVersion: row.version,
      name: row.name,
      scope: scopeOf(row),
      plan: planOf(row, station.timeZone),
    };
  }

  /** GET /stations/{id}/tariff: 404 for a station the actor cannot see or without any tariff. */
  async forStation(actor: Actor, stationId: string, at: Date): Promise<ResolvedTariff> {
    const { station } = await this.stations.findByIdForActor(actor, stationId);
    const resolved = await this.planFor(station.tenantId, station.id, at);
    if (!resolved) throw new DomainError('NOT_FOUND', `No tariff applies to station ${stationId}`);
    return resolved;
  }

  /** The tenant of the station or site a tariff is assigned to (404 if not visible), or null for none. */
  private async assignment(
    actor: Actor,
    stationId: string | null,
    siteId: string | null,
  ): Promise<string | null> {
    if (stationId && siteId) {
      const message = 'give stationId or siteId, not both';
      throw validation([
        { field: 'stationId', errors: [message] },
        { field: 'siteId', errors: [message] },
      ]);
    }
    if (stationId) {
      const tenant = await this.stations.stationTenant(readScope(actor), stationId);
      if (!tenant) throw notFound('Station', stationId);
      return tenant;
    }
    if (siteId) {
      const tenant = await this.stations.siteTenant(readScope(actor), siteId);
      if (!tenant) throw notFound('Site', siteId);
      return tenant;
    }
    return null;
  }

  private check(row: TariffRow): void {
    if (row.validFrom && row.validUntil && row.validUntil <= row.validFrom) {
      throw fieldError('validUntil', 'validUntil must be after validFrom');
    }
    try {
      checkTariffPlan(planOf(row, 'UTC'));
    } catch (e) {
      if (e instanceof TariffPricingError) throw fieldError(e.field, e.message);
      throw e;
    }
  }
}
