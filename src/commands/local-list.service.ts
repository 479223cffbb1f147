import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { IdTagsService } from '../users/id-tags.service';
import { CommandRunner, targetOf } from './command-runner.service';
import type { LocalListVersionResponse, SendLocalListDto, SendLocalListResponse } from './dto/local-list.dto';
import { differentialUpdate, fullUpdate, toEntries } from './local-list';
import { LocalListRepository } from './local-list.repository';

/** SendLocalList built from the tenant's idTags, and GetLocalListVersion. */
@Injectable()
export class LocalListService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly repo: LocalListRepository,
    private readonly idTags: IdTagsService,
  ) {}

  async sendLocalList(
    actor: Actor,
    stationId: string,
    dto: SendLocalListDto,
  ): Promise<SendLocalListResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const previous = await this.repo.find(target.tenantId, target.stationId);
    if (dto.updateType === 'Differential' && !previous) {
      throw new DomainError('CONFLICT', 'The station has no list from us yet: send a Full update first');
    }
    const current = toEntries(await this.idTags.listForLocalList(target.tenantId));
    const list =
      dto.updateType === 'Full' ? fullUpdate(current) : differentialUpdate(previous!.entries, current);
    const listVersion = dto.listVersion ?? (previous?.listVersion ?? 0) + 1;
    const reply = await this.runner.send<{ status: string }>(actor, target, 'SendLocalList', {
      listVersion,
      updateType: dto.updateType,
      localAuthorizationList: list,
    });
    if (reply.status === 'Accepted')
      await this.repo.save(target.tenantId, target.stationId, listVersion, current);
    return { status: reply.status, listVersion, entries: list.length };
  }

  async getLocalListVersion(actor: Actor, stationId: string): Promise<LocalListVersionResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const reply = await this.runner.send<{ listVersion: number }>(actor, target, 'GetLocalListVersion', {});
    const sent = await this.repo.find(target.tenantId, target.stationId);
    return { listVersion: reply.listVersion, lastSentListVersion: sent?.listVersion ?? null };
  }
}
