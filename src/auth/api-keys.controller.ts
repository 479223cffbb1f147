import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { UuidParam } from '../common/uuid-param';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyPageResponse,
  ApiKeyResponse,
  CreateApiKeyDto,
  IssuedApiKeyResponse,
  ListApiKeysQuery,
  SCOPE_HELP,
} from './dto/api-key.dto';
import { AccountOnly, CurrentActor, Roles } from '../common/roles.decorator';
import { ApiErrors } from '../common/api-errors';

/** Keys are managed by people: an API key cannot mint or revoke keys. */
@ApiTags('api-keys')
@Controller('api/v1/api-keys')
@Roles('admin', 'root')
@AccountOnly()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Issue an API key for the tenant (root: any tenant); the secret is shown once',
    description: SCOPE_HELP,
  })
  @ApiCreatedResponse({ type: IssuedApiKeyResponse })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'tenantId not found' })
  issue(@CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyResponse> {
    return this.keys.issue(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's API keys (prefix only, never the secret)" })
  @ApiOkResponse({ type: ApiKeyPageResponse })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: ListApiKeysQuery): Promise<ApiKeyPageResponse> {
    return this.keys.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One API key, with when it was last used' })
  @ApiOkResponse({ type: ApiKeyResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('API key')) id: string,
  ): Promise<ApiKeyResponse> {
    return ApiKeyResponse.of(await this.keys.get(actor, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: it and tokens exchanged for it stop working at once' })
  @ApiNoContentResponse({ description: 'Revoked (it stays listed with revokedAt)' })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async revoke(@CurrentActor() actor: Actor, @Param('id', UuidParam('API key')) id: string): Promise<void> {
    await this.keys.revoke(actor, id);
  }
}
