import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { CommandRunner, targetOf } from './command-runner.service';
import type {
  ChangeAvailabilityDto,
  ChangeConfigurationDto,
  DataTransferDto,
  GetConfigurationDto,
  ResetDto,
  TriggerMessageDto,
  UnlockConnectorDto,
} from './dto/core-commands.dto';
import type {
  CommandStatusResponse,
  DataTransferResponse,
  GetConfigurationResponse,
} from './dto/command.response';

interface StatusReply {
  status: string;
}

/** The OCPP 1.6 Core and Remote Trigger commands: one method per command, each audited. */
@Injectable()
export class CommandsService {
  constructor(private readonly runner: CommandRunner) {}

  reset(actor: Actor, stationId: string, dto: ResetDto): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'Reset', { type: dto.type });
  }

  unlockConnector(actor: Actor, stationId: string, dto: UnlockConnectorDto): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'UnlockConnector', { connectorId: dto.connectorId });
  }

  changeAvailability(
    actor: Actor,
    stationId: string,
    dto: ChangeAvailabilityDto,
  ): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'ChangeAvailability', {
      connectorId: dto.connectorId,
      type: dto.type,
    });
  }

  async getConfiguration(
    actor: Actor,
    stationId: string,
    dto: GetConfigurationDto,
  ): Promise<GetConfigurationResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const reply = await this.runner.send<Partial<GetConfigurationResponse>>(
      actor,
      target,
      'GetConfiguration',
      dto.key ? { key: dto.key } : {},
    );
    return { configurationKey: reply.configurationKey ?? [], unknownKey: reply.unknownKey ?? [] };
  }

  changeConfiguration(
    actor: Actor,
    stationId: string,
    dto: ChangeConfigurationDto,
  ): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'ChangeConfiguration', { key: dto.key, value: dto.value });
  }

  clearCache(actor: Actor, stationId: string): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'ClearCache', {});
  }

  triggerMessage(actor: Actor, stationId: string, dto: TriggerMessageDto): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'TriggerMessage', {
      requestedMessage: dto.requestedMessage,
      ...(dto.connectorId !== undefined && { connectorId: dto.connectorId }),
    });
  }

  async dataTransfer(actor: Actor, stationId: string, dto: DataTransferDto): Promise<DataTransferResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const reply = await this.runner.send<DataTransferResponse>(actor, target, 'DataTransfer', {
      vendorId: dto.vendorId,
      ...(dto.messageId !== undefined && { messageId: dto.messageId }),
      ...(dto.data !== undefined && { data: dto.data }),
    });
    return { status: reply.status, ...(reply.data !== undefined && { data: reply.data }) };
  }

  private async statusCommand(
    actor: Actor,
    stationId: string,
    action: string,
    request: object,
  ): Promise<CommandStatusResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const reply = await this.runner.send<StatusReply>(actor, target, action, request);
    return { status: reply.status };
  }
}
