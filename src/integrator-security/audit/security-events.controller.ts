import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/roles.decorator';
import type { Actor } from '../../common/actor';
import { ErrorResponse } from '../../common/error.response';
import { UuidParam } from '../../common/uuid-param';
import { SecurityEventPage, SecurityEventQueryDto, SecurityEventResponse } from './security-events.dto';
import { SecurityEventsService } from './security-events.service';

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
  @ApiBadRequestResponse({ type: ErrorResponse })
  list(@CurrentActor() actor: Actor, @Query() q: SecurityEventQueryDto): Promise<SecurityEventPage> {
    return this.events.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One security event' })
  @ApiOkResponse({ type: SecurityEventResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Security event')) id: string,
  ): Promise<SecurityEventResponse> {
    return this.events.get(actor, id);
  }
}
