import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ApiErrors } from '../common/api-errors';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { badParam, uuidParam } from '../common/uuid-param';
import { CommandErrors } from './command-docs';
import {
  ClearMonitorResponse,
  MonitorPage,
  MonitorResponse,
  MonitoringEventPage,
  MonitoringEventResponse,
  MonitoringEventsQueryDto,
  MonitorsQueryDto,
  RefreshMonitorsDto,
  RefreshMonitorsResponse,
  SetVariableMonitoringDto,
  SetVariableMonitoringResponse,
} from './dto/monitoring.dto';
import { MonitorsService } from './monitors.service';

const id = uuidParam('id');
const monitorId = new ParseIntPipe({
  exceptionFactory: () => badParam('monitorId', 'monitorId must be an integer'),
});
const STATION = { name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' };

@ApiTags('commands')
@Controller('api/v1/stations/:id')
@Roles('admin', 'root')
export class MonitorsController {
  constructor(private readonly monitors: MonitorsService) {}

  @Get('monitors')
  @ApiOperation({
    summary: 'The variable monitors Kilowatt knows of an OCPP 2.0.1 station',
    description:
      'One item per result of PUT …/monitors, in the order stored: `monitorId` is the id the station gave an ' +
      'accepted monitor (null for a refused one, kept with its `status`); and one per monitor the station listed ' +
      'after POST …/monitors/refresh (`status` Reported: its own, preconfigured or hard-wired ones too). ' +
      '`component` and `variable` filter by exact name.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: MonitorPage })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid filter, limit or cursor' },
    { NOT_FOUND: 'Unknown station, or another tenant’s' },
  )
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Query() q: MonitorsQueryDto,
  ): Promise<MonitorPage> {
    const page = await this.monitors.list(actor, stationId, q);
    return { items: page.items.map(MonitorResponse.of), nextCursor: page.nextCursor };
  }

  @Put('monitors')
  @ApiOperation({
    summary: 'Set variable monitors on an OCPP 2.0.1 station (SetVariableMonitoring)',
    description:
      'Sends SetVariableMonitoring and answers the station’s result for each monitor (Accepted with its id, ' +
      'UnknownComponent, UnknownVariable, UnsupportedMonitorType, Rejected, Duplicate); each result is stored. ' +
      'An `id` of an existing monitor replaces it. What a monitor sees arrives as NotifyEvent: GET …/monitoring-events. ' +
      'Audited. A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: SetVariableMonitoringResponse })
  @CommandErrors()
  async set(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() body: SetVariableMonitoringDto,
  ): Promise<SetVariableMonitoringResponse> {
    return { setMonitoringResult: await this.monitors.set(actor, stationId, body) };
  }

  @Post('monitors/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask an OCPP 2.0.1 station for its variable monitors (GetMonitoringReport)',
    description:
      'Sends GetMonitoringReport with a fresh `requestId` and answers the station’s status. Accepted: the station ' +
      'reports its monitors in NotifyMonitoringReport parts; each is stored (committed before the station is ' +
      'answered) by monitor id with `status` Reported, and once the last part arrives, stored monitors with an id ' +
      'that it did not list (and that were not set since the refresh began) are removed: the station is the ' +
      'truth. EmptyResultSet: it has none, and the stored ones with an id are removed. With `monitoringCriteria` ' +
      'or `componentVariable` only the monitors matching are reported, and none is removed. The body may be left ' +
      'out. Audited. A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiBody({
    type: RefreshMonitorsDto,
    required: false,
    examples: {
      everything: { summary: 'Every monitor', value: {} },
      filtered: {
        summary: 'Threshold monitors of EVSE 1',
        value: {
          monitoringCriteria: ['ThresholdMonitoring'],
          componentVariable: [{ component: { name: 'EVSE', evse: { id: 1 } } }],
        },
      },
    },
  })
  @ApiOkResponse({ type: RefreshMonitorsResponse })
  @CommandErrors()
  async refresh(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() body: RefreshMonitorsDto,
  ): Promise<RefreshMonitorsResponse> {
    return this.monitors.refresh(actor, stationId, body);
  }

  @Delete('monitors/:monitorId')
  @ApiOperation({
    summary: 'Clear a variable monitor of an OCPP 2.0.1 station (ClearVariableMonitoring)',
    description:
      'Sends ClearVariableMonitoring for a stored monitor; Accepted (or NotFound: the station no longer has it) ' +
      'removes it, Rejected keeps it. 404 for a monitor id not stored. Audited. A 1.6 station answers 409 ' +
      'UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiParam({ name: 'monitorId', description: "The monitor's id at the station", example: 1 })
  @ApiOkResponse({ type: ClearMonitorResponse })
  @CommandErrors()
  @ApiErrors({ NOT_FOUND: 'Unknown station (or another tenant’s), or no such monitor stored' })
  async clear(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('monitorId', monitorId) monitor: number,
  ): Promise<ClearMonitorResponse> {
    return this.monitors.clear(actor, stationId, monitor);
  }

  @Get('monitoring-events')
  @ApiOperation({
    summary: "An OCPP 2.0.1 station's monitoring events (NotifyEvent), newest received first",
    description:
      'Each eventData item of the station’s NotifyEvents, committed before the station was answered and kept for ' +
      'OCPP_MESSAGE_LOG_RETENTION_DAYS. `timestamp` is the station’s clock as reported; the order and `from`/`to` ' +
      'use the time Kilowatt received it; `severity` is that of the monitor that fired when Kilowatt knows it ' +
      '(set or reported). ' +
      'Each Alerting or Delta item is also published as the `station.monitoring_event` event (webhooks, `/events`).',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: MonitoringEventPage })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid component, variable, from, to, limit or cursor' },
    { NOT_FOUND: 'Unknown station, or another tenant’s' },
  )
  async events(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Query() q: MonitoringEventsQueryDto,
  ): Promise<MonitoringEventPage> {
    const page = await this.monitors.events(actor, stationId, q);
    return { items: page.items.map(MonitoringEventResponse.of), nextCursor: page.nextCursor };
  }
}
