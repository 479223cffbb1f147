import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { CommandAuditService } from './command-audit.service';
import { AuditPage, AuditQueryDto, StationAuditQueryDto } from './dto/audit.dto';
import { ApiErrors } from '../common/api-errors';

@ApiTags('commands')
@Controller('api/v1')
@Roles('admin', 'root')
export class CommandAuditController {
  constructor(private readonly audit: CommandAuditService) {}

  @Get('stations/:id/commands/audit')
  @ApiOperation({ summary: 'Commands sent to one station, newest first' })
  @ApiOkResponse({ type: AuditPage })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  forStation(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) stationId: string,
    @Query() q: StationAuditQueryDto,
  ): Promise<AuditPage> {
    return this.audit.listForStation(actor, stationId, q);
  }

  @Get('command-audit')
  @ApiOperation({ summary: 'The command audit log of the tenant (root: every tenant), newest first' })
  @ApiOkResponse({ type: AuditPage })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto): Promise<AuditPage> {
    return this.audit.list(actor, q);
  }
}
