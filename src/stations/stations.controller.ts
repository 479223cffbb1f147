import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { type Actor, isAdmin } from '../common/actor';
import {
  CreateStationDto,
  StationPasswordDto,
  StationQueryDto,
  UpdateConnectorDto,
  UpdateStationDto,
} from './dto/station.dto';
import { ConnectorResponse, StationPage, StationResponse } from './dto/station.response';
import { uuidParam } from '../common/uuid-param';
import { ConnectorIdPipe } from './dto/params';
import { toConnectorResponse, toStationResponse } from './station-view';
import { StationsService } from './stations.service';
import { ApiErrors } from '../common/api-errors';

const id = uuidParam('id');
@ApiTags('stations')
@Controller('api/v1/stations')
export class StationsController {
  constructor(private readonly stations: StationsService) {}

  @Post()
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Register a charge point',
    description:
      'Security profiles 1 and 2 need a password (Basic Auth); it is stored only as an argon2id hash. ' +
      "`connectors` declares the connectors up front (OCPI 2.2.1 standard, format, power type, limits): they are listed, with status 'Unknown', " +
      'and their QR codes work before the charger ever connects.',
  })
  @ApiCreatedResponse({ type: StationResponse })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'siteId unknown in this tenant' }, 'CHARGE_POINT_ID_TAKEN')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateStationDto): Promise<StationResponse> {
    return toStationResponse(await this.stations.create(actor, dto), isAdmin(actor));
  }

  @Get()
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'Find stations ("near me", by site, connector status, type and power)',
    description:
      'With `near=lat,lng` stations are sorted by distance (`distanceM`) and only those of sites with coordinates are listed; ' +
      '`radiusKm` limits it. Connector filters must all hold for one connector. Users see accepted stations only.',
  })
  @ApiOkResponse({ type: StationPage })
  @ApiErrors('VALIDATION_FAILED')
  async list(@CurrentActor() actor: Actor, @Query() q: StationQueryDto): Promise<StationPage> {
    const page = await this.stations.list(actor, q);
    return {
      items: page.items.map((v) => toStationResponse(v, isAdmin(actor))),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'Read a station with the live status of its connectors' })
  @ApiOkResponse({ type: StationResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(@CurrentActor() actor: Actor, @Param('id', id) stationId: string): Promise<StationResponse> {
    return toStationResponse(await this.stations.findByIdForActor(actor, stationId), isAdmin(actor));
  }

  @Patch(':id')
  @Roles('admin', 'root')
  @ApiOperation({
    summary:
      'Change a station: name, site, security profile/password, accept or reject a pending charger, declared connectors',
    description:
      '`connectors` declares the listed connectors or replaces what was declared about them; connectors not listed are kept, ' +
      'and a live status is never changed. DELETE /stations/{id}/connectors/{connectorId} removes one the charger has never reported.',
  })
  @ApiOkResponse({ type: StationResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: UpdateStationDto,
  ): Promise<StationResponse> {
    return toStationResponse(await this.stations.update(actor, stationId, dto), isAdmin(actor));
  }

  @Put(':id/password')
  @HttpCode(204)
  @Roles('admin', 'root')
  @ApiOperation({ summary: "Rotate the charger's Basic Auth password (security profiles 1 and 2)" })
  @ApiNoContentResponse()
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  setPassword(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: StationPasswordDto,
  ): Promise<void> {
    return this.stations.setPassword(actor, stationId, dto.password);
  }

  @Patch(':id/connectors/:connectorId')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: "Set a connector's type and maximum power",
    description:
      "Creates the connector (status 'Unknown') if the charger has not reported it yet. " +
      'To declare its OCPI standard, format and power type, use `connectors` of PATCH /stations/{id}.',
  })
  @ApiOkResponse({ type: ConnectorResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async updateConnector(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('connectorId', ConnectorIdPipe) connectorId: number,
    @Body() dto: UpdateConnectorDto,
  ): Promise<ConnectorResponse> {
    const row = await this.stations.updateConnector(actor, stationId, connectorId, dto);
    return toConnectorResponse(row);
  }

  @Delete(':id/connectors/:connectorId')
  @HttpCode(204)
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Remove a declared connector the charger has never reported',
    description:
      'A connector the charger has reported would come back with its next StatusNotification: 409.',
  })
  @ApiNoContentResponse()
  @ApiErrors(
    'VALIDATION_FAILED',
    { NOT_FOUND: 'Unknown station or connector' },
    { CONFLICT: 'the charger has reported it' },
  )
  removeConnector(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('connectorId', ConnectorIdPipe) connectorId: number,
  ): Promise<void> {
    return this.stations.removeConnector(actor, stationId, connectorId);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Delete a station and its connectors' })
  @ApiNoContentResponse()
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { CONFLICT: 'it has charging sessions' })
  remove(@CurrentActor() actor: Actor, @Param('id', id) stationId: string): Promise<void> {
    return this.stations.remove(actor, stationId);
  }
}
