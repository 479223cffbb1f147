import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { ChargerCommands } from '../ocpp/gateway/charger-commands';
import { isSecretConfigurationKey, redactError } from '../ocpp/gateway/frame-redaction';
import { StationsService } from '../stations/stations.service';
import { CommandRunner, CommandTarget, protocolOf, targetOf } from './command-runner.service';
import { translate201 } from './ocpp201-translations';
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

/**
 * The OCPP 1.6 Core and Remote Trigger commands: one method per command, each audited. Reset,
 * unlock, change-availability, trigger-message, clear-cache and data-transfer are translated for
 * an OCPP 2.0.1 station (ocpp201-translations.ts); the others answer it UNSUPPORTED_BY_PROTOCOL.
 */
@Injectable()
export class CommandsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly chargers: ChargerCommands,
    private readonly stations: StationsService,
  ) {}

  reset(actor: Actor, stationId: string, dto: ResetDto): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'Reset', { type: dto.type }, () => translate201.reset(dto));
  }

  unlockConnector(actor: Actor, stationId: string, dto: UnlockConnectorDto): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'UnlockConnector', { connectorId: dto.connectorId }, () =>
      translate201.unlockConnector(dto.connectorId),
    );
  }

  changeAvailability(
    actor: Actor,
    stationId: string,
    dto: ChangeAvailabilityDto,
  ): Promise<CommandStatusResponse> {
    return this.statusCommand(
      actor,
      stationId,
      'ChangeAvailability',
      { connectorId: dto.connectorId, type: dto.type },
      () => translate201.changeAvailability(dto),
    );
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

  async changeConfiguration(
    actor: Actor,
    stationId: string,
    dto: ChangeConfigurationDto,
  ): Promise<CommandStatusResponse> {
    if (!isSecretConfigurationKey(dto.key))
      return this.statusCommand(actor, stationId, 'ChangeConfiguration', { key: dto.key, value: dto.value });
    return this.changeAuthorizationKey(actor, targetOf(await this.runner.target(actor, stationId)), dto);
  }

  /**
   * OCPP 1.6 security whitepaper: once the charger accepts a new AuthorizationKey, the central
   * system authenticates it with that key. The key is stored before it is sent, because the
   * charger may reconnect with it before its answer is processed; the old one stays valid until
   * the charger connects with the new one, so a charger that applies the key only at its next
   * reboot, or whose answer was lost, is never locked out. A sure refusal restores the old key.
   */
  private async changeAuthorizationKey(
    actor: Actor,
    target: CommandTarget,
    dto: ChangeConfigurationDto,
  ): Promise<CommandStatusResponse> {
    if (!(await this.chargers.isConnected(target.chargePointId)))
      throw new DomainError('STATION_OFFLINE', `${target.chargePointId} is not connected`);
    const next = await this.stations.beginPasswordChange(target.tenantId, target.stationId, dto.value);
    let refused = false;
    try {
      const { status } = await this.runner.send<StatusReply>(actor, target, 'ChangeConfiguration', {
        key: dto.key,
        value: dto.value,
      });
      refused = status === 'Rejected' || status === 'NotSupported';
      return { status };
    } catch (e) {
      // No answer (timeout, socket lost): whether the charger took the key is unknown; keep both.
      refused = !(e instanceof DomainError && (e.code === 'CHARGER_TIMEOUT' || e.code === 'STATION_OFFLINE'));
      throw redactError(e, [dto.value]);
    } finally {
      if (refused) await this.stations.abandonPasswordChange(target.tenantId, target.stationId, next);
    }
  }

  clearCache(actor: Actor, stationId: string): Promise<CommandStatusResponse> {
    return this.statusCommand(actor, stationId, 'ClearCache', {}, () => ({}));
  }

  triggerMessage(actor: Actor, stationId: string, dto: TriggerMessageDto): Promise<CommandStatusResponse> {
    return this.statusCommand(
      actor,
      stationId,
      'TriggerMessage',
      {
        requestedMessage: dto.requestedMessage,
        ...(dto.connectorId !== undefined && { connectorId: dto.connectorId }),
      },
      () => translate201.triggerMessage(dto),
    );
  }

  async dataTransfer(actor: Actor, stationId: string, dto: DataTransferDto): Promise<DataTransferResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    // The same fields in both versions.
    const reply = await this.runner.send<DataTransferResponse>(
      actor,
      target,
      'DataTransfer',
      {
        vendorId: dto.vendorId,
        ...(dto.messageId !== undefined && { messageId: dto.messageId }),
        ...(dto.data !== undefined && { data: dto.data }),
      },
      protocolOf(target),
    );
    return { status: reply.status, ...(reply.data !== undefined && { data: reply.data }) };
  }

  /** A command answered `{ status }`; `for201` gives its request for an OCPP 2.0.1 station. */
  private async statusCommand(
    actor: Actor,
    stationId: string,
    action: string,
    request: object,
    for201?: () => object,
  ): Promise<CommandStatusResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const reply =
      for201 && protocolOf(target) === 'ocpp2.0.1'
        ? await this.runner.send<StatusReply>(actor, target, action, for201(), 'ocpp2.0.1')
        : await this.runner.send<StatusReply>(actor, target, action, request);
    return { status: reply.status };
  }
}
