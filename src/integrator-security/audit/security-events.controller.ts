import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/roles.decorator';
import type { Actor } from '../../common/actor';
import { UuidParam } from '../../common/uuid-param';
import { SecurityEventPage, SecurityEventQueryDto, SecurityEventResponse } from './security-events.dto';
import { SecurityEventsService } from './security-events.service';
import { ApiErrors } from '../../common/api-errors';

@ApiTags('security-events')
@Controller('api/v1/security-events')
@Roles('admin', 'root')
export class SecurityEventsController {
  constructor(private readonly events: SecurityEventsService) {}

  @Get()
  @ApiOperation({
    summary: 'The security audit log of the tenant (root: every tenant), newest first',
    description:
      'Logins and failed logins, API keys issued and revoked, key security changes, signature and envelope failures, rate limiting. Failed logins for unknown accounts carry no tenant and are visible to root only.',
  })
  @ApiOkResponse({ type: SecurityEventPage })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: SecurityEventQueryDto): Promise<SecurityEventPage> {
    return this.events.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One security event' })
  @ApiOkResponse({ type: SecurityEventResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Security event')) id: string,
  ): Promise<SecurityEventResponse> {
    return this.events.get(actor, id);
  }
}
