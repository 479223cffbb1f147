import { Controller, Get, Header, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { DomainError } from '../common/domain-error';
import { ErrorResponse } from '../common/error.response';
import { DATABASE_HANDLE } from '../database/database.module';
import { DatabaseHandle, pingDatabase } from '../database/database';
import { MetricsService } from './metrics.service';

class HealthResponse {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ example: 'pglite', enum: ['pglite', 'postgres'] }) database: string;
  @ApiProperty({ example: 1234 }) uptimeSeconds: number;
}

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly metrics: MetricsService,
  ) {}

  @Get('api/v1/health')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: ErrorResponse })
  async health(): Promise<HealthResponse> {
    try {
      await pingDatabase(this.database.db);
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', 'The database does not answer');
    }
    return { status: 'ok', database: this.database.kind, uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
