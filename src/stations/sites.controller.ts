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
import { CreateSiteDto, SitePage, SiteQueryDto, SiteResponse, UpdateSiteDto } from './dto/site.dto';
import { uuidParam } from '../common/uuid-param';
import { SitesService, toSiteResponse } from './sites.service';
import { ApiErrors } from '../common/api-errors';

const uuid = uuidParam('id');

@ApiTags('sites')
@Controller('api/v1/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Post()
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Create a site (location with address, coordinates, time zone, opening hours)' })
  @ApiCreatedResponse({ type: SiteResponse })
  @ApiErrors({ VALIDATION_FAILED: 'naming the fields', NOT_FOUND: 'tenantId unknown (root)' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateSiteDto): Promise<SiteResponse> {
    return toSiteResponse(await this.sites.create(actor, dto));
  }

  @Get()
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: "List the tenant's sites, by name" })
  @ApiOkResponse({ type: SitePage })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: SiteQueryDto): Promise<SitePage> {
    return this.sites.list(actor, q.limit, q.cursor);
  }

  @Get(':id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'Read a site' })
  @ApiOkResponse({ type: SiteResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<SiteResponse> {
    return toSiteResponse(await this.sites.get(actor, id));
  }

  @Patch(':id')
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Change a site; null clears an optional field' })
  @ApiOkResponse({ type: SiteResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSiteDto,
  ): Promise<SiteResponse> {
    return toSiteResponse(await this.sites.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Delete a site that has no stations left' })
  @ApiNoContentResponse()
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { CONFLICT: 'the site still has stations' })
  remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    return this.sites.remove(actor, id);
  }
}
