import { Injectable } from '@nestjs/common';
import { Actor, isRoot } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { keysetPage } from '../common/keyset';
import type { Page } from '../common/pagination';
import { isUniqueViolation } from '../database/db-errors';
import { CreateTenantDto, ListTenantsQuery, TenantResponse, UpdateTenantDto } from './dto/tenant.dto';
import { NewTenant, TenantPatch, TenantsRepository } from './tenants.repository';
import type { TenantRow } from './tenants.tables';

export const DEFAULT_TENANT_SLUG = 'default';

/** Tenants are the platform's customers; only root manages them. */
@Injectable()
export class TenantsService {
  constructor(private readonly repo: TenantsRepository) {}

  /** Idempotent, and safe when several nodes start at once. */
  async ensureDefaultTenant(): Promise<TenantRow> {
    await this.repo.insertIfAbsent({ slug: DEFAULT_TENANT_SLUG, name: 'Default' });
    return (await this.repo.findBySlug(DEFAULT_TENANT_SLUG)) as TenantRow;
  }

  /** Creates a tenant without an actor: for bootstrapping and test factories. */
  async create(input: NewTenant): Promise<TenantRow> {
    try {
      return await this.repo.insert(input);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('SLUG_TAKEN', `A tenant with slug ${input.slug} exists`);
      throw e;
    }
  }

  async findById(id: string): Promise<TenantRow | null> {
    return this.repo.findById(id);
  }

  async register(actor: Actor, dto: CreateTenantDto): Promise<TenantRow> {
    this.requireRoot(actor);
    return this.create(dto);
  }

  async list(actor: Actor, q: ListTenantsQuery): Promise<Page<TenantResponse>> {
    this.requireRoot(actor);
    const limit = q.limit ?? 50;
    return keysetPage(await this.repo.list({ ...q, limit }), limit, TenantResponse.of);
  }

  async get(actor: Actor, id: string): Promise<TenantRow> {
    this.requireRoot(actor);
    const tenant = await this.repo.findById(id);
    if (!tenant) throw notFound('Tenant', id);
    return tenant;
  }

  async update(actor: Actor, id: string, dto: UpdateTenantDto): Promise<TenantRow> {
    const tenant = await this.get(actor, id);
    if (dto.status === 'disabled' && tenant.slug === DEFAULT_TENANT_SLUG)
      throw new DomainError(
        'CONFLICT',
        'The default tenant receives every plain signup and cannot be disabled',
      );
    const patch: TenantPatch = Object.fromEntries(Object.entries(dto).filter(([, v]) => v != null));
    if (Object.keys(patch).length === 0) return tenant;
    return this.repo.update(tenant.id, patch);
  }

  private requireRoot(actor: Actor): void {
    if (!isRoot(actor)) throw new DomainError('FORBIDDEN', 'Only root manages tenants');
  }
}
