import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { CreateRolloutDto, RolloutResponse } from './dto/firmware.dto';
import { FirmwareService } from './firmware.service';
import { ApiErrors } from '../common/api-errors';

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
      'station moves to sent / rejected / offline / timeout, then on with its FirmwareStatusNotifications. ' +
      'The signed-firmware fields (`signingCertificate`, `signature`, `installDate`) go to OCPP 2.0.1 stations; a 1.6 ' +
      'station of the rollout given them is `rejected` with errorCode UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiCreatedResponse({ type: RolloutResponse })
  @ApiErrors(
    {
      VALIDATION_FAILED:
        'Not exactly one target, no station matches, or signingCertificate without signature (or the reverse)',
    },
    { NOT_FOUND: 'A site or station of another tenant, or unknown' },
  )
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRolloutDto): Promise<RolloutResponse> {
    return this.firmware.createRollout(actor, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A rollout with the status of each station' })
  @ApiOkResponse({ type: RolloutResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<RolloutResponse> {
    return this.firmware.getRollout(actor, id);
  }
}
