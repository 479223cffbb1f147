import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { IdTagsService } from '../users/id-tags.service';
import { CommandRunner, protocolOf, targetOf } from './command-runner.service';
import type { LocalListVersionResponse, SendLocalListDto, SendLocalListResponse } from './dto/local-list.dto';
import { differentialUpdate, fullUpdate, toAuthorizationData201, toEntries } from './local-list';
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
    const reply =
      protocolOf(target) === 'ocpp2.0.1'
        ? await this.runner.send<{ status: string }>(
            actor,
            target,
            'SendLocalList',
            {
              versionNumber: listVersion,
              updateType: dto.updateType,
              // 2.0.1 wants the list left out rather than empty.
              ...(list.length > 0 && {
                localAuthorizationList: toAuthorizationData201(list, current, previous?.entries ?? {}),
              }),
            },
            'ocpp2.0.1',
          )
        : await this.runner.send<{ status: string }>(actor, target, 'SendLocalList', {
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
    const listVersion =
      protocolOf(target) === 'ocpp2.0.1'
        ? (
            await this.runner.send<{ versionNumber: number }>(
              actor,
              target,
              'GetLocalListVersion',
              {},
              'ocpp2.0.1',
            )
          ).versionNumber
        : (await this.runner.send<{ listVersion: number }>(actor, target, 'GetLocalListVersion', {}))
            .listVersion;
    const sent = await this.repo.find(target.tenantId, target.stationId);
    return { listVersion, lastSentListVersion: sent?.listVersion ?? null };
  }
}
