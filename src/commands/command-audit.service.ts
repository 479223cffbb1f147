import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { keysetPage } from '../common/keyset';
import type { Page } from '../common/pagination';
import { StationsService } from '../stations/stations.service';
import { CommandAuditRepository } from './command-audit.repository';
import type { CommandAuditRow } from './commands.tables';
import type { AuditEntryResponse, AuditQueryDto, StationAuditQueryDto } from './dto/audit.dto';

const toResponse = (r: CommandAuditRow): AuditEntryResponse => ({
  id: r.id,
  tenantId: r.tenantId,
  stationId: r.stationId,
  chargePointId: r.chargePointId,
  actorUserId: r.actorUserId,
  actorApiKeyId: r.actorApiKeyId,
  actorRole: r.actorRole,
  action: r.action,
  request: r.request,
  reply: r.reply,
  errorCode: r.errorCode,
  errorMessage: r.errorMessage,
  durationMs: r.durationMs,
  at: r.at.toISOString(),
});

/** Reads the command audit log: the actor's tenant only (root: every tenant). */
@Injectable()
export class CommandAuditService {
  constructor(
    private readonly audit: CommandAuditRepository,
    private readonly stations: StationsService,
  ) {}

  async listForStation(
    actor: Actor,
    stationId: string,
    q: StationAuditQueryDto,
  ): Promise<Page<AuditEntryResponse>> {
    await this.stations.findByIdForActor(actor, stationId);
    return this.list(actor, { ...q, stationId });
  }

  async list(actor: Actor, q: AuditQueryDto): Promise<Page<AuditEntryResponse>> {
    const limit = q.limit ?? 50;
    const rows = await this.audit.listPage(
      actor.role === 'root' ? null : actor.tenantId,
      {
        stationId: q.stationId,
        action: q.action,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      limit + 1,
      q.cursor,
    );
    return keysetPage(rows, limit, toResponse);
  }
}
