import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { ApiErrors } from '../common/api-errors';
import { CommandErrors } from './command-docs';
import { CommandsService } from './commands.service';
import {
  ChangeAvailabilityDto,
  ChangeConfigurationDto,
  DataTransferDto,
  GetConfigurationDto,
  ResetDto,
  TriggerMessageDto,
  UnlockConnectorDto,
} from './dto/core-commands.dto';
import {
  CommandStatusResponse,
  DataTransferResponse,
  GetConfigurationResponse,
} from './dto/command.response';

const id = uuidParam('id');

@ApiTags('commands')
@Controller('api/v1/stations/:id/commands')
@Roles('admin', 'root')
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reset (Soft or Hard)', description: "Answers with the charger's reply." })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  reset(@CurrentActor() actor: Actor, @Param('id', id) stationId: string, @Body() dto: ResetDto) {
    return this.commands.reset(actor, stationId, dto);
  }

  @Post('unlock')
  @HttpCode(200)
  @ApiOperation({
    summary: 'UnlockConnector',
    description: 'Ends a running transaction on it (UnlockCommand).',
  })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  unlock(@CurrentActor() actor: Actor, @Param('id', id) stationId: string, @Body() dto: UnlockConnectorDto) {
    return this.commands.unlockConnector(actor, stationId, dto);
  }

  @Post('change-availability')
  @HttpCode(200)
  @ApiOperation({ summary: 'ChangeAvailability of the station (connectorId 0) or one connector' })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  changeAvailability(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: ChangeAvailabilityDto,
  ) {
    return this.commands.changeAvailability(actor, stationId, dto);
  }

  @Post('get-configuration')
  @HttpCode(200)
  @ApiOperation({ summary: 'GetConfiguration: read some or all configuration keys' })
  @ApiOkResponse({ type: GetConfigurationResponse })
  @CommandErrors()
  getConfiguration(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: GetConfigurationDto,
  ) {
    return this.commands.getConfiguration(actor, stationId, dto);
  }

  @Post('change-configuration')
  @HttpCode(200)
  @ApiOperation({ summary: 'ChangeConfiguration of one key' })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  @ApiErrors({ CONFLICT: 'an AuthorizationKey change still waits for the charger to reconnect' })
  changeConfiguration(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: ChangeConfigurationDto,
  ) {
    return this.commands.changeConfiguration(actor, stationId, dto);
  }

  @Post('clear-cache')
  @HttpCode(200)
  @ApiOperation({ summary: 'ClearCache: empty the authorization cache' })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  clearCache(@CurrentActor() actor: Actor, @Param('id', id) stationId: string) {
    return this.commands.clearCache(actor, stationId);
  }

  @Post('trigger-message')
  @HttpCode(200)
  @ApiOperation({ summary: 'TriggerMessage: ask the charger to send a message now' })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  triggerMessage(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: TriggerMessageDto,
  ) {
    return this.commands.triggerMessage(actor, stationId, dto);
  }

  @Post('data-transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'DataTransfer: a vendor-specific message' })
  @ApiOkResponse({ type: DataTransferResponse })
  @CommandErrors()
  dataTransfer(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: DataTransferDto,
  ) {
    return this.commands.dataTransfer(actor, stationId, dto);
  }
}
