import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ApiErrors } from '../common/api-errors';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { uuidParam } from '../common/uuid-param';
import { CommandErrors } from './command-docs';
import {
  SetVariablesDto,
  SetVariablesResponse,
  StationVariablePage,
  StationVariableResponse,
  StationVariablesQueryDto,
} from './dto/station-variables.dto';
import { StationVariablesService } from './station-variables.service';

const id = uuidParam('id');

@ApiTags('commands')
@Controller('api/v1/stations/:id/variables')
@Roles('admin', 'root')
export class StationVariablesController {
  constructor(private readonly variables: StationVariablesService) {}

  @Get()
  @ApiOperation({
    summary: "An OCPP 2.0.1 station's device model: the last known value of each variable",
    description:
      'What the station reported (NotifyReport, asked for with GetBaseReport FullInventory after its first boot, ' +
      'or with the get-base-report and get-report commands) and what SetVariables changed, one item per attribute, ' +
      'in the order they were first stored. `component` and `variable` filter by exact name.',
  })
  @ApiParam({ name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' })
  @ApiOkResponse({ type: StationVariablePage })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid filter, limit or cursor' },
    { NOT_FOUND: 'Unknown station, or another tenant’s' },
  )
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Query() q: StationVariablesQueryDto,
  ): Promise<StationVariablePage> {
    const page = await this.variables.list(actor, stationId, q);
    return { items: page.items.map(StationVariableResponse.of), nextCursor: page.nextCursor };
  }

  @Put()
  @ApiOperation({
    summary: 'Set variables of an OCPP 2.0.1 station (SetVariables)',
    description:
      "Sends SetVariables and answers the station's result for each variable (Accepted, Rejected, UnknownComponent, " +
      'UnknownVariable, NotSupportedAttributeType, RebootRequired). Each result is stored with the variable ' +
      '(`lastSetStatus`); an Accepted value becomes its value. Audited like every command. A 1.6 station answers ' +
      '409 UNSUPPORTED_BY_PROTOCOL; SecurityCtrlr.BasicAuthPassword is set with PUT /stations/{id}/password (400 here).',
  })
  @ApiParam({ name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' })
  @ApiOkResponse({ type: SetVariablesResponse })
  @CommandErrors()
  @ApiErrors({ BAD_REQUEST: 'The Basic Auth password has its own route' })
  async set(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() body: SetVariablesDto,
  ): Promise<SetVariablesResponse> {
    return { setVariableResult: await this.variables.set(actor, stationId, body) };
  }
}
