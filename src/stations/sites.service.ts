import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { isForeignKeyViolation } from '../database/db-errors';
import { CreateSiteDto, SiteResponse, UpdateSiteDto } from './dto/site.dto';
import { openingHoursErrors } from './site-rules';
import { SiteChanges, SitesRepository } from './sites.repository';
import { SiteRow } from './stations.tables';
import { insertInTenant, owningTenant, readScope } from './tenant-scope';

export const toSiteResponse = (r: SiteRow): SiteResponse => ({
  id: r.id,
  tenantId: r.tenantId,
  name: r.name,
  street: r.street,
  city: r.city,
  postalCode: r.postalCode,
  country: r.country,
  latitude: r.latitude,
  longitude: r.longitude,
  timeZone: r.timeZone,
  openingHours: r.openingHours ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

function checkOpeningHours(value: unknown): void {
  const fields = openingHoursErrors(value);
  if (fields.length > 0) {
    throw new DomainError('VALIDATION_FAILED', fields.map((f) => f.errors.join(', ')).join('; '), {
      fields,
    });
  }
}

@Injectable()
export class SitesService {
  constructor(private readonly sites: SitesRepository) {}

  async create(actor: Actor, dto: CreateSiteDto): Promise<SiteRow> {
    checkOpeningHours(dto.openingHours);
    const { tenantId: requested, ...fields } = dto;
    const tenantId = owningTenant(actor, requested);
    return insertInTenant(tenantId, () => this.sites.insert(tenantId, fields));
  }

  async list(actor: Actor, limit = 50, cursor?: string): Promise<Page<SiteResponse>> {
    const after = decodeCursor(cursor, 'text');
    const rows = await this.sites.listPage(
      readScope(actor),
      limit + 1,
      after ? { name: after.k, id: after.id } : null,
    );
    return toPage(rows, limit, toSiteResponse, (r) => ({ k: r.name, id: r.id }));
  }

  async get(actor: Actor, id: string): Promise<SiteRow> {
    const row = await this.sites.findById(readScope(actor), id);
    if (!row) throw notFound('Site', id);
    return row;
  }

  async update(actor: Actor, id: string, dto: UpdateSiteDto): Promise<SiteRow> {
    const nulls = (['name', 'timeZone'] as const).filter((k) => dto[k] === null);
    if (nulls.length > 0) {
      const fields = nulls.map((field) => ({ field, errors: [`${field} cannot be null`] }));
      throw new DomainError('VALIDATION_FAILED', fields.map((f) => f.errors[0]).join('; '), { fields });
    }
    checkOpeningHours(dto.openingHours);
    const changes: SiteChanges = { ...dto };
    const row = await this.sites.update(readScope(actor), id, changes);
    if (!row) throw notFound('Site', id);
    return row;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    try {
      if (!(await this.sites.delete(readScope(actor), id))) throw notFound('Site', id);
    } catch (e) {
      if (isForeignKeyViolation(e)) {
        throw new DomainError('CONFLICT', `Site ${id} still has stations; move or delete them first`);
      }
      throw e;
    }
  }
}
