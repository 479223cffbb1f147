import { Injectable } from '@nestjs/common';
import { Actor, accountOf, isAdmin, tenantScopeOf } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { keysetPage } from '../common/keyset';
import type { Page } from '../common/pagination';
import { CreateIdTagDto, IdTagResponse, ListIdTagsQuery, UpdateIdTagDto } from './dto/id-tag.dto';
import { IdTagPatch, IdTagsRepository } from './id-tags.repository';
import { UsersRepository } from './users.repository';
import { isForeignKeyViolation, isUniqueViolation } from '../database/db-errors';
import { UsersService } from './users.service';
import type { IdTagRow } from './users.tables';

export type IdTagAuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

/** What a charger is told about an idTag (OCPP IdTagInfo minus ConcurrentTx, which sessions decide). */
export interface IdTagAuthorization {
  status: IdTagAuthorizationStatus;
  expiryDate?: Date;
  parentIdTag?: string;
  userId?: string;
}

/** One entry of a charger's local authorization list. */
export interface LocalListTag {
  idTag: string;
  /** An account's app idTag or an RFID card. */
  kind: 'app' | 'rfid';
  status: 'Accepted' | 'Blocked' | 'Expired';
  expiryDate?: Date;
  parentIdTag?: string;
}

@Injectable()
export class IdTagsService {
  constructor(
    private readonly tags: IdTagsRepository,
    private readonly usersRepo: UsersRepository,
    private readonly users: UsersService,
  ) {}

  /** Called by the OCPP gateway for Authorize/StartTransaction of a charger of `tenantId`. */
  async authorize(tenantId: string, idTag: string, now = new Date()): Promise<IdTagAuthorization> {
    const tag = await this.tags.findByValue(tenantId, idTag);
    if (!tag) return { status: 'Invalid' };
    const facts = {
      ...(tag.expiresAt ? { expiryDate: tag.expiresAt } : {}),
      ...(tag.parentIdTag ? { parentIdTag: tag.parentIdTag } : {}),
      ...(tag.userId ? { userId: tag.userId } : {}),
    };
    if (tag.status === 'blocked') return { status: 'Blocked', ...facts };
    if (tag.expiresAt && tag.expiresAt.getTime() <= now.getTime()) return { status: 'Expired', ...facts };
    if (tag.userId) {
      const owner = await this.usersRepo.findById(tenantId, tag.userId);
      if (owner?.status !== 'active') return { status: 'Blocked', ...facts };
    }
    return { status: 'Accepted', ...facts };
  }

  /** A user lists its own tags; an admin its tenant's (optionally one account's); root every tenant's. */
  async list(actor: Actor, q: ListIdTagsQuery): Promise<Page<IdTagResponse>> {
    const limit = q.limit ?? 50;
    const userId = isAdmin(actor) ? q.userId : accountOf(actor);
    const rows = await this.tags.list(tenantScopeOf(actor), { userId, limit, cursor: q.cursor });
    return keysetPage(rows, limit, IdTagResponse.of);
  }

  async listOfUser(actor: Actor, userId: string, q: ListIdTagsQuery): Promise<Page<IdTagResponse>> {
    const user = await this.users.get(actor, userId);
    return this.list(actor, { ...q, userId: user.id });
  }

  async create(actor: Actor, dto: CreateIdTagDto): Promise<IdTagRow> {
    if (!isAdmin(actor) && (dto.expiresAt || dto.parentIdTag))
      throw new DomainError('FORBIDDEN', 'Only an admin sets expiresAt or parentIdTag');
    const ownerId = isAdmin(actor) ? dto.userId : accountOf(actor);
    if (!isAdmin(actor) && dto.userId && dto.userId !== ownerId) throw notFound('User', dto.userId);
    const owner = ownerId ? await this.users.get(actor, ownerId) : null;
    const tenantId = owner?.tenantId ?? actor.tenantId;
    if (dto.parentIdTag) await this.requireParent(tenantId, dto.parentIdTag, dto.idTag);
    try {
      return await this.tags.insert(tenantId, {
        userId: owner?.id ?? null,
        idTag: dto.idTag,
        kind: 'rfid',
        expiresAt: dto.expiresAt ?? null,
        parentIdTag: dto.parentIdTag ?? null,
        vehicleLabel: dto.vehicleLabel ?? null,
        vehiclePlate: dto.vehiclePlate ?? null,
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('ID_TAG_TAKEN', `idTag ${dto.idTag} is already registered`);
      throw e;
    }
  }

  async get(actor: Actor, id: string): Promise<IdTagRow> {
    const tag = await this.tags.findInTenant(tenantScopeOf(actor), id);
    if (!tag || (!isAdmin(actor) && tag.userId !== accountOf(actor))) throw notFound('idTag', id);
    return tag;
  }

  async update(actor: Actor, id: string, dto: UpdateIdTagDto): Promise<IdTagRow> {
    const tag = await this.get(actor, id);
    if (!isAdmin(actor)) {
      if (dto.expiresAt !== undefined || dto.parentIdTag !== undefined)
        throw new DomainError('FORBIDDEN', 'Only an admin sets expiresAt or parentIdTag');
      if (dto.status === 'active' && tag.status !== 'active')
        throw new DomainError('FORBIDDEN', 'Only an admin unblocks an idTag');
    }
    if (dto.parentIdTag) await this.requireParent(tag.tenantId, dto.parentIdTag, tag.idTag);
    const patch: IdTagPatch = {};
    if (dto.status != null) patch.status = dto.status;
    if (dto.expiresAt !== undefined) patch.expiresAt = dto.expiresAt;
    if (dto.parentIdTag !== undefined) patch.parentIdTag = dto.parentIdTag;
    if (dto.vehicleLabel !== undefined) patch.vehicleLabel = dto.vehicleLabel;
    if (dto.vehiclePlate !== undefined) patch.vehiclePlate = dto.vehiclePlate;
    if (Object.keys(patch).length === 0) return tag;
    return this.tags.update(tag.tenantId, tag.id, patch);
  }

  /** RFID tags can be removed; an account's app idTag can only be blocked. */
  async remove(actor: Actor, id: string): Promise<void> {
    const tag = await this.get(actor, id);
    if (tag.kind === 'app')
      throw new DomainError('CONFLICT', "An account's app idTag cannot be deleted; block it instead");
    try {
      await this.tags.delete(tag.tenantId, tag.id);
    } catch (e) {
      if (isForeignKeyViolation(e))
        throw new DomainError('CONFLICT', 'This idTag is referenced by charging sessions; block it instead');
      throw e;
    }
  }

  /**
   * The tenant's idTags as a charger's local authorization list sees them (read-only), with the
   * same status rules as `authorize`: blocked tags and disabled owners Blocked, past expiry Expired.
   */
  async listForLocalList(tenantId: string, now = new Date()): Promise<LocalListTag[]> {
    const rows = await this.tags.listWithOwnerStatus(tenantId);
    return rows.map((tag) => ({
      idTag: tag.idTag,
      kind: tag.kind,
      status:
        tag.status === 'blocked' || (tag.userId !== null && tag.ownerStatus !== 'active')
          ? 'Blocked'
          : tag.expiresAt && tag.expiresAt.getTime() <= now.getTime()
            ? 'Expired'
            : 'Accepted',
      ...(tag.expiresAt ? { expiryDate: tag.expiresAt } : {}),
      ...(tag.parentIdTag ? { parentIdTag: tag.parentIdTag } : {}),
    }));
  }

  private async requireParent(tenantId: string, parentIdTag: string, ownIdTag: string): Promise<void> {
    if (parentIdTag === ownIdTag)
      throw new DomainError('VALIDATION_FAILED', 'An idTag cannot be its own parent', {
        fields: [{ field: 'parentIdTag', errors: ['parentIdTag must differ from idTag'] }],
      });
    if (!(await this.tags.findByValue(tenantId, parentIdTag))) throw notFound('Parent idTag', parentIdTag);
  }
}
