import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { type Actor, isAdmin } from '../common/actor';
import { ErrorResponse } from '../common/error.response';
import {
  CreateStationDto,
  StationPasswordDto,
  StationQueryDto,
  UpdateConnectorDto,
  UpdateStationDto,
} from './dto/station.dto';
import { ConnectorResponse, StationPage, StationResponse } from './dto/station.response';
import { ConnectorIdPipe, uuidParam } from './dto/params';
import { toConnectorResponse, toStationResponse } from './station-view';
import { StationsService } from './stations.service';

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
      'Security profiles 1 and 2 need a password (Basic Auth); it is stored only as an argon2id hash.',
  })
  @ApiCreatedResponse({ type: StationResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'siteId unknown in this tenant' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'CHARGE_POINT_ID_TAKEN' })
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
  @ApiBadRequestResponse({ type: ErrorResponse })
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
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', id) stationId: string): Promise<StationResponse> {
    return toStationResponse(await this.stations.findByIdForActor(actor, stationId), isAdmin(actor));
  }

  @Patch(':id')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Change a station: name, site, security profile/password, accept or reject a pending charger',
  })
  @ApiOkResponse({ type: StationResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
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
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
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
    description: 'Creates the connector (status Unavailable) if the charger has not reported it yet.',
  })
  @ApiOkResponse({ type: ConnectorResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async updateConnector(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('connectorId', ConnectorIdPipe) connectorId: number,
    @Body() dto: UpdateConnectorDto,
  ): Promise<ConnectorResponse> {
    const row = await this.stations.updateConnector(actor, stationId, connectorId, dto);
    return toConnectorResponse(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Delete a station and its connectors' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'CONFLICT: it has charging sessions' })
  remove(@CurrentActor() actor: Actor, @Param('id', id) stationId: string): Promise<void> {
    return this.stations.remove(actor, stationId);
  }
}
