import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { ApiErrors } from '../common/api-errors';
import { CommandErrors } from './command-docs';
import { CommandStatusResponse } from './dto/command.response';
import {
  ClearChargingProfileDto,
  CompositeScheduleResponse,
  GetCompositeScheduleDto,
  SetChargingProfileDto,
} from './dto/charging-profile.dto';
import { LocalListVersionResponse, SendLocalListDto, SendLocalListResponse } from './dto/local-list.dto';
import { LocalListService } from './local-list.service';
import { SmartChargingService } from './smart-charging.service';

const id = uuidParam('id');

/** Local authorization list and smart charging commands. */
@ApiTags('commands')
@Controller('api/v1/stations/:id/commands')
@Roles('admin', 'root')
export class ChargerListsController {
  constructor(
    private readonly localList: LocalListService,
    private readonly smartCharging: SmartChargingService,
  ) {}

  @Post('send-local-list')
  @HttpCode(200)
  @ApiOperation({
    summary: "SendLocalList built from the tenant's idTags",
    description:
      'Full sends every idTag (Accepted, Blocked or Expired); Differential only the changes since the list the ' +
      'charger last accepted (409 CONFLICT before a first Full).',
  })
  @ApiOkResponse({ type: SendLocalListResponse })
  @CommandErrors()
  @ApiErrors({ CONFLICT: 'a Differential update before any Full one was accepted' })
  sendLocalList(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: SendLocalListDto,
  ) {
    return this.localList.sendLocalList(actor, stationId, dto);
  }

  @Post('get-local-list-version')
  @HttpCode(200)
  @ApiOperation({ summary: 'GetLocalListVersion' })
  @ApiOkResponse({ type: LocalListVersionResponse })
  @CommandErrors()
  getLocalListVersion(@CurrentActor() actor: Actor, @Param('id', id) stationId: string) {
    return this.localList.getLocalListVersion(actor, stationId);
  }

  @Post('set-charging-profile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'SetChargingProfile, validated before sending',
    description:
      'Periods ascend from startPeriod 0, limits above 0, a TxProfile names its transactionId, a ' +
      'ChargePointMaxProfile goes to connectorId 0; otherwise 400 VALIDATION_FAILED naming the fields.',
  })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  setChargingProfile(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: SetChargingProfileDto,
  ) {
    return this.smartCharging.setChargingProfile(actor, stationId, dto);
  }

  @Post('clear-charging-profile')
  @HttpCode(200)
  @ApiOperation({ summary: 'ClearChargingProfile by id or by connector, purpose and stack level' })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  clearChargingProfile(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: ClearChargingProfileDto,
  ) {
    return this.smartCharging.clearChargingProfile(actor, stationId, dto);
  }

  @Post('get-composite-schedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'GetCompositeSchedule of a connector or of the station (connectorId 0)' })
  @ApiOkResponse({ type: CompositeScheduleResponse })
  @CommandErrors()
  getCompositeSchedule(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: GetCompositeScheduleDto,
  ) {
    return this.smartCharging.getCompositeSchedule(actor, stationId, dto);
  }
}
