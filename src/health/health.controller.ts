import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiOkContent } from '../common/api-content.decorator';
import { Public } from '../common/roles.decorator';
import { ClusterTransport } from '../cluster/cluster-transport';
import { DomainError } from '../common/domain-error';
import { DATABASE_HANDLE } from '../database/database.module';
import { DatabaseHandle, pingDatabase } from '../database/database';
import { MetricsService } from '../common/metrics.service';
import { ApiErrors } from '../common/api-errors';

class HealthResponse {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ example: 'pglite', enum: ['pglite', 'postgres'] }) database: string;
  @ApiProperty({ example: 'nats', enum: ['none', 'nats'], description: 'The broker between nodes' })
  broker: 'none' | 'nats';
  @ApiProperty({ example: 'node-3f9a1c2b', description: "This node's id in the cluster" }) nodeId: string;
  @ApiProperty({ example: 1234 }) uptimeSeconds: number;
}

class LivenessResponse {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ example: 1234 }) uptimeSeconds: number;
}

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly metrics: MetricsService,
    private readonly cluster: ClusterTransport,
  ) {}

  @Get('api/v1/health')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database (and the broker, when configured) answers' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiErrors('SERVICE_UNAVAILABLE')
  async health(): Promise<HealthResponse> {
    try {
      await pingDatabase(this.database.db);
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', 'The database does not answer');
    }
    try {
      await this.cluster.ping();
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', 'The message broker does not answer');
    }
    return {
      status: 'ok',
      database: this.database.kind,
      broker: this.cluster.clustered ? 'nats' : 'none',
      nodeId: this.cluster.nodeId,
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  @Get('api/v1/health/live')
  @Public()
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description:
      'Checks nothing beyond this process: a failing database or broker does not make it fail, so an orchestrator restarts a node only when the node itself is stuck. Use `/api/v1/health` (readiness) to take a node out of the balancer.',
  })
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkContent('Prometheus text exposition format', { 'text/plain': { type: 'string' } })
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
