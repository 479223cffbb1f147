import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { INT32_MAX, invalidField } from '../common/validation';
import { type CommandTarget, CommandRunner, targetOf } from './command-runner.service';
import { require201 } from './ocpp201-target';
import { DisplayMessageRecordsService } from './display-message-records.service';
import { type DisplayMessage, toMessageInfo } from './display-messages';
import type { StationDisplayMessageRow } from './display-messages.tables';
import type { SetDisplayMessageDto } from './dto/display-messages.dto';

/** Display messages on an OCPP 2.0.1 station's screen: set, listed, refreshed from it and cleared. */
@Injectable()
export class DisplayMessagesService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly records: DisplayMessageRecordsService,
  ) {}

  async list(actor: Actor, stationId: string): Promise<StationDisplayMessageRow[]> {
    const target = targetOf(await this.runner.target(actor, stationId));
    return this.records.list(target.tenantId, target.stationId);
  }

  /** SetDisplayMessage; the message is stored with the station's answer. */
  async set(
    actor: Actor,
    stationId: string,
    dto: SetDisplayMessageDto,
  ): Promise<{
    status: string;
    statusInfo?: Record<string, unknown>;
    stored: StationDisplayMessageRow | undefined;
  }> {
    if (
      dto.startDateTime !== undefined &&
      dto.endDateTime !== undefined &&
      Date.parse(dto.endDateTime) <= Date.parse(dto.startDateTime)
    )
      throw invalidField('endDateTime', 'endDateTime must be after startDateTime');
    const target = await this.target201(actor, stationId, 'SetDisplayMessage');
    const message: DisplayMessage = {
      messageId: dto.id ?? (await this.allocateId(target)),
      priority: dto.priority,
      state: dto.state ?? null,
      startDateTime: dto.startDateTime === undefined ? null : new Date(dto.startDateTime),
      endDateTime: dto.endDateTime === undefined ? null : new Date(dto.endDateTime),
      transactionId: dto.transactionId ?? null,
      format: dto.message.format,
      language: dto.message.language ?? null,
      content: dto.message.content,
      display: dto.display ?? null,
    };
    const reply = await this.runner.send<{ status: string; statusInfo?: Record<string, unknown> }>(
      actor,
      target,
      'SetDisplayMessage',
      { message: toMessageInfo(message) },
      'ocpp2.0.1',
    );
    const stored = await this.records.recordSet(target.tenantId, target.stationId, message, reply.status);
    return {
      status: reply.status,
      ...(reply.statusInfo !== undefined && { statusInfo: reply.statusInfo }),
      stored,
    };
  }

  /**
   * GetDisplayMessages of every message: the station's report replaces the stored set once its
   * last part arrives; a station with none (Unknown) empties it at once.
   */
  async refresh(actor: Actor, stationId: string): Promise<{ status: string; requestId: number }> {
    const target = await this.target201(actor, stationId, 'GetDisplayMessages');
    const requestId = randomInt(1, 2 ** 31 - 1);
    await this.records.startRefresh(target.tenantId, target.stationId, requestId);
    const reply = await this.runner.send<{ status: string }>(
      actor,
      target,
      'GetDisplayMessages',
      { requestId },
      'ocpp2.0.1',
    );
    if (reply.status === 'Unknown')
      await this.records.onNoneReported(target.tenantId, target.stationId, requestId);
    return { status: reply.status, requestId };
  }

  /** ClearDisplayMessage of a stored message; Accepted or Unknown (the station has none) removes it. */
  async clear(actor: Actor, stationId: string, messageId: number): Promise<{ status: string }> {
    const target = await this.target201(actor, stationId, 'ClearDisplayMessage');
    if (!(await this.records.find(target.tenantId, target.stationId, messageId)))
      throw new DomainError('NOT_FOUND', `No display message ${messageId} is stored for this station`);
    const reply = await this.runner.send<{ status: string }>(
      actor,
      target,
      'ClearDisplayMessage',
      { id: messageId },
      'ocpp2.0.1',
    );
    if (reply.status === 'Accepted' || reply.status === 'Unknown')
      await this.records.remove(target.tenantId, target.stationId, messageId);
    return { status: reply.status };
  }

  private async allocateId(target: CommandTarget): Promise<number> {
    const id = await this.records.nextMessageId(target.tenantId, target.stationId);
    if (id > INT32_MAX)
      throw new DomainError('CONFLICT', 'The station has no message id left above its highest; give an id');
    return id;
  }

  private async target201(actor: Actor, stationId: string, action: string): Promise<CommandTarget> {
    return require201(targetOf(await this.runner.target(actor, stationId)), action);
  }
}
