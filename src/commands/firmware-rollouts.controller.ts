import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { ErrorResponse } from '../common/error.response';
import { uuidParam } from '../stations/dto/params';
import { CreateRolloutDto, RolloutResponse } from './dto/firmware.dto';
import { FirmwareService } from './firmware.service';

@ApiTags('commands')
@Controller('api/v1/firmware-rollouts')
@Roles('admin', 'root')
export class FirmwareRolloutsController {
  constructor(private readonly firmware: FirmwareService) {}

  @Post()
  @ApiOperation({
    summary: 'Roll a firmware out to many stations (by site, model or list)',
    description:
      'Answers at once with every station `pending`; UpdateFirmware then goes out in the background and each ' +
      'station moves to sent / rejected / offline / timeout, then on with its FirmwareStatusNotifications.',
  })
  @ApiCreatedResponse({ type: RolloutResponse })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Not exactly one target, or no station matches',
  })
  @ApiNotFoundResponse({
    type: ErrorResponse,
    description: 'A site or station of another tenant, or unknown',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRolloutDto): Promise<RolloutResponse> {
    return this.firmware.createRollout(actor, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A rollout with the status of each station' })
  @ApiOkResponse({ type: RolloutResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<RolloutResponse> {
    return this.firmware.getRollout(actor, id);
  }
}
