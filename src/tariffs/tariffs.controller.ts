import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { CreateTariffDto, TariffQueryDto } from './dto/tariff.dto';
import { StationTariffResponse, TariffPage, TariffResponse } from './dto/tariff.response';
import { UpdateTariffDto } from './dto/update-tariff.dto';
import { summarizePlan } from './tariff-summary';
import { TariffsService, toTariffResponse } from './tariffs.service';
import { ApiErrors } from '../common/api-errors';

const id = uuidParam('id');

@ApiTags('tariffs')
@Controller('api/v1/tariffs')
export class TariffsController {
  constructor(private readonly tariffs: TariffsService) {}

  @Post()
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Create a price plan for the tenant (default), a site or a station',
    description: 'The most specific plan in force wins: station, then site, then tenant default.',
  })
  @ApiCreatedResponse({ type: TariffResponse })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'stationId or siteId unknown in this tenant' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateTariffDto): Promise<TariffResponse> {
    return toTariffResponse(await this.tariffs.create(actor, dto));
  }

  @Get()
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: "List the tenant's price plans, by name" })
  @ApiOkResponse({ type: TariffPage })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: TariffQueryDto): Promise<TariffPage> {
    return this.tariffs.list(actor, q);
  }

  @Get(':id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'Read a price plan' })
  @ApiOkResponse({ type: TariffResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(@CurrentActor() actor: Actor, @Param('id', id) tariffId: string): Promise<TariffResponse> {
    return toTariffResponse(await this.tariffs.get(actor, tariffId));
  }

  @Patch(':id')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Change a price plan (bumps its version)',
    description:
      'Sessions already started keep the plan they froze at start; only later sessions see the change.',
  })
  @ApiOkResponse({ type: TariffResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', id) tariffId: string,
    @Body() dto: UpdateTariffDto,
  ): Promise<TariffResponse> {
    return toTariffResponse(await this.tariffs.update(actor, tariffId, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Delete a price plan; sessions already started keep their frozen copy' })
  @ApiNoContentResponse()
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  remove(@CurrentActor() actor: Actor, @Param('id', id) tariffId: string): Promise<void> {
    return this.tariffs.remove(actor, tariffId);
  }
}

@ApiTags('tariffs')
@Controller('api/v1/stations')
export class StationTariffController {
  constructor(private readonly tariffs: TariffsService) {}

  @Get(':id/tariff')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'The price plan that applies now at a station, with a readable summary',
    description: "Amounts in minor units; time-of-use windows are in the site's time zone (`plan.timeZone`).",
  })
  @ApiOkResponse({ type: StationTariffResponse })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'Unknown station, or no tariff applies' })
  async current(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
  ): Promise<StationTariffResponse> {
    const at = new Date();
    const r = await this.tariffs.forStation(actor, stationId, at);
    return {
      stationId,
      tariffId: r.tariffId,
      tariffVersion: r.tariffVersion,
      name: r.name,
      scope: r.scope,
      at: at.toISOString(),
      plan: r.plan,
      summary: summarizePlan(r.plan),
    };
  }
}
