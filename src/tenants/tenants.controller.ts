import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountOnly, CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { UuidParam } from '../common/uuid-param';
import {
  CreateTenantDto,
  ListTenantsQuery,
  TenantPageResponse,
  TenantResponse,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { TenantsService } from './tenants.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('tenants')
@Controller('api/v1/tenants')
@Roles('root')
@AccountOnly()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant (a customer/operator of the platform)' })
  @ApiCreatedResponse({ type: TenantResponse })
  @ApiErrors('VALIDATION_FAILED', 'SLUG_TAKEN')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateTenantDto): Promise<TenantResponse> {
    return TenantResponse.of(await this.tenants.register(actor, dto));
  }

  @Get()
  @ApiOperation({ summary: 'List tenants' })
  @ApiOkResponse({ type: TenantPageResponse })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: ListTenantsQuery): Promise<TenantPageResponse> {
    return this.tenants.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Tenant')) id: string,
  ): Promise<TenantResponse> {
    return TenantResponse.of(await this.tenants.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, configure, disable or re-enable a tenant' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { CONFLICT: 'The default tenant cannot be disabled' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Tenant')) id: string,
    @Body() dto: UpdateTenantDto,
  ): Promise<TenantResponse> {
    return TenantResponse.of(await this.tenants.update(actor, id, dto));
  }
}
