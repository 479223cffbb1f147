import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccountOnly, CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { ErrorResponse } from '../common/error.response';
import { UuidParam } from '../common/uuid-param';
import {
  CreateTenantDto,
  ListTenantsQuery,
  TenantPageResponse,
  TenantResponse,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('api/v1/tenants')
@Roles('root')
@AccountOnly()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant (a customer/operator of the platform)' })
  @ApiCreatedResponse({ type: TenantResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'SLUG_TAKEN' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateTenantDto): Promise<TenantResponse> {
    return TenantResponse.of(await this.tenants.register(actor, dto));
  }

  @Get()
  @ApiOperation({ summary: 'List tenants' })
  @ApiOkResponse({ type: TenantPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  list(@CurrentActor() actor: Actor, @Query() q: ListTenantsQuery): Promise<TenantPageResponse> {
    return this.tenants.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Tenant')) id: string,
  ): Promise<TenantResponse> {
    return TenantResponse.of(await this.tenants.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, configure, disable or re-enable a tenant' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The default tenant cannot be disabled' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Tenant')) id: string,
    @Body() dto: UpdateTenantDto,
  ): Promise<TenantResponse> {
    return TenantResponse.of(await this.tenants.update(actor, id, dto));
  }
}
