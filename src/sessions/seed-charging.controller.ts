import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyScopeRequired, CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { SeedChargingDto, SeedChargingResponse } from './dto/start-session.dto';
import { SessionStartService } from './session-start.service';
import { ApiErrors } from '../common/api-errors';

/** The original app's charging routes, with exactly their shapes, on the same service. */
@ApiTags('seed-compatible')
@Controller('api')
export class SeedChargingController {
  constructor(private readonly starts: SessionStartService) {}

  @Post('start_charging')
  @Roles('user', 'admin', 'root')
  @ApiKeyScopeRequired('charge')
  @HttpCode(200)
  @ApiOperation({ summary: "Start charging with the caller's idTag (seed-compatible shape)" })
  @ApiOkResponse({ type: SeedChargingResponse, description: "The charger's reply" })
  @ApiErrors(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'STATION_OFFLINE',
    'CONNECTOR_BUSY',
    'CHARGER_TIMEOUT',
    'CHARGER_ERROR',
  )
  async start(@CurrentActor() actor: Actor, @Body() dto: SeedChargingDto): Promise<SeedChargingResponse> {
    return this.replyOf(() =>
      this.starts.start(actor, { chargePointId: dto.evse_id, connectorId: dto.connector_id }),
    );
  }

  @Post('stop_charging')
  @Roles('user', 'admin', 'root')
  @ApiKeyScopeRequired('charge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop the session on a connector (seed-compatible shape)' })
  @ApiOkResponse({ type: SeedChargingResponse, description: "The charger's reply" })
  @ApiErrors(
    'VALIDATION_FAILED',
    { NOT_FOUND: 'No session of the caller on that connector' },
    'STATION_OFFLINE',
    'CHARGER_TIMEOUT',
    'CHARGER_ERROR',
  )
  async stop(@CurrentActor() actor: Actor, @Body() dto: SeedChargingDto): Promise<SeedChargingResponse> {
    return this.replyOf(() => this.starts.stopAtConnector(actor, dto.evse_id, dto.connector_id));
  }

  /** The seed contract answers a charger's refusal as `{ status: 'Rejected' }`, not as an error. */
  private async replyOf(command: () => Promise<unknown>): Promise<SeedChargingResponse> {
    try {
      await command();
      return { status: 'Accepted' };
    } catch (e) {
      if (e instanceof DomainError && e.code === 'CHARGER_REJECTED') return { status: 'Rejected' };
      throw e;
    }
  }
}
