import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { uuidParam } from '../common/uuid-param';
import { CommandErrors } from './command-docs';
import { ChargingProfilesQueryDto, ChargingProfilesResponse } from './dto/charging-profile.dto';
import { SmartChargingService } from './smart-charging.service';

const id = uuidParam('id');

/** The charging profiles an OCPP 2.0.1 station holds, as it reports them. */
@ApiTags('commands')
@Controller('api/v1/stations/:id/charging-profiles')
@Roles('admin', 'root')
export class ChargingProfilesController {
  constructor(private readonly smartCharging: SmartChargingService) {}

  @Get()
  @ApiOperation({
    summary: 'The charging profiles installed on an OCPP 2.0.1 station (GetChargingProfiles)',
    description:
      'Sends GetChargingProfiles with a fresh requestId and the filters given (exact EVSE — 0 for the profiles ' +
      'of the station as a whole —, purpose, stack level; none: every profile), then answers the profiles of ' +
      'every ReportChargingProfiles part the station sends for it, in OCPP 2.0.1 shape. `NoProfiles` answers an ' +
      'empty list. A report whose last part (tbc false) is not in within OCPP_CALL_TIMEOUT_MS is 504 ' +
      'CHARGER_TIMEOUT. Audited like every command. OCPP 1.6 has no such message: a 1.6 station answers 409 ' +
      'UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam({ name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' })
  @ApiOkResponse({ type: ChargingProfilesResponse })
  @CommandErrors()
  list(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Query() q: ChargingProfilesQueryDto,
  ): Promise<ChargingProfilesResponse> {
    return this.smartCharging.getChargingProfiles(actor, stationId, q);
  }
}
