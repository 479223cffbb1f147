import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { ApiOkContent, CSV } from '../common/api-content.decorator';
import { RequestHeader } from '../common/request-header.decorator';
import { ApiKeyScopeRequired, CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { PageQueryDto } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { ForceStopSessionDto } from './dto/force-stop.dto';
import { MeterValuesQueryDto, SessionQueryDto } from './dto/session-query.dto';
import {
  AnomalyPageResponse,
  MeterValueResponse,
  SessionPageResponse,
  SessionResponse,
} from './dto/session.response';
import { StartSessionDto, UpdateSessionDto } from './dto/start-session.dto';
import { SessionQueriesService } from './session-queries.service';
import { SessionStartService } from './session-start.service';
import { toSessionResponse } from './session-view';
import { ZombieSessionsService } from './zombie-sessions.service';
import { ApiErrors } from '../common/api-errors';

const id = uuidParam('id');
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('sessions')
@Controller('api/v1/sessions')
export class SessionsController {
  constructor(
    private readonly starts: SessionStartService,
    private readonly queries: SessionQueriesService,
    private readonly zombies: ZombieSessionsService,
  ) {}

  @Post()
  @Roles('user', 'admin', 'root')
  @ApiKeyScopeRequired('charge')
  @ApiOperation({
    summary: 'Start charging',
    description:
      'Give `stationId` or `chargePointId` with `connectorId`, or the connector `qr`. Sends RemoteStartTransaction and ' +
      "answers with the pending session once the charger accepted. With `Idempotency-Key` a retry answers the first request's outcome.",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 200 printable characters' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiErrors(
    'VALIDATION_FAILED',
    { NOT_FOUND: 'Station or connector not found (or of another tenant)' },
    'STATION_OFFLINE',
    'CHARGER_REJECTED',
    'CONNECTOR_BUSY',
    'CONNECTOR_UNAVAILABLE',
    'ALREADY_CHARGING',
    'ID_TAG_REJECTED',
    'NO_TARIFF',
    'IDEMPOTENCY_KEY_REUSED',
    'CONNECTOR_RESERVED',
    'CHARGER_TIMEOUT',
    'CHARGER_ERROR',
  )
  async start(
    @CurrentActor() actor: Actor,
    @Body() dto: StartSessionDto,
    @RequestHeader('idempotency-key') key?: string,
  ): Promise<SessionResponse> {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      const message = 'Idempotency-Key must be 1-200 printable ASCII characters';
      throw new DomainError('VALIDATION_FAILED', message, {
        fields: [{ field: 'Idempotency-Key', errors: [message] }],
      });
    }
    return toSessionResponse(await this.starts.start(actor, dto, key), [], new Date());
  }

  @Get()
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'List sessions (orders), newest first',
    description:
      'Users see their own. Admins may ask for CSV with `format=csv` or `Accept: text/csv` (the whole filtered set).',
  })
  @ApiOkContent('A page of sessions; with CSV asked for, every session of the filter', {
    'application/json': SessionPageResponse,
    'text/csv': CSV,
  })
  @ApiErrors('VALIDATION_FAILED')
  async list(
    @CurrentActor() actor: Actor,
    @Query() q: SessionQueryDto,
    @RequestHeader('accept') accept?: string,
  ): Promise<SessionPageResponse | StreamableFile> {
    const csv = q.format === 'csv' || (q.format === undefined && /^text\/csv\b/i.test(accept ?? ''));
    if (!csv) return this.queries.list(actor, q);
    return new StreamableFile(Readable.from(this.queries.exportCsv(actor, q)), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="sessions.csv"',
    });
  }

  @Get('anomalies')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Anomalies reported by chargers, newest first (including stops of unknown transactions)',
  })
  @ApiOkResponse({ type: AnomalyPageResponse })
  @ApiErrors('VALIDATION_FAILED')
  async anomalies(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<AnomalyPageResponse> {
    return this.queries.anomalies(actor, q.limit ?? 50, q.cursor);
  }

  @Get(':id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'A session: live energy, power, state of charge and estimate; the bill once settled',
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(@CurrentActor() actor: Actor, @Param('id', id) sessionId: string): Promise<SessionResponse> {
    return this.queries.get(actor, sessionId);
  }

  @Get(':id/meter-values')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'The meter readings of a session, oldest first, in canonical units (Wh, W, %, V, A)',
  })
  @ApiOkResponse({ type: [MeterValueResponse] })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async meterValues(
    @CurrentActor() actor: Actor,
    @Param('id', id) sessionId: string,
    @Query() q: MeterValuesQueryDto,
  ): Promise<MeterValueResponse[]> {
    return this.queries.meterValues(actor, sessionId, q.limit ?? 1000);
  }

  @Post(':id/stop')
  @Roles('user', 'admin', 'root')
  @ApiKeyScopeRequired('charge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stop charging (owner or admin)',
    description:
      'Sends RemoteStopTransaction; the session completes when the charger reports StopTransaction. A pending session is cancelled.',
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'STATION_OFFLINE',
    'CHARGER_REJECTED',
    'SESSION_NOT_ACTIVE',
    'CHARGER_TIMEOUT',
    'CHARGER_ERROR',
  )
  async stop(@CurrentActor() actor: Actor, @Param('id', id) sessionId: string): Promise<SessionResponse> {
    return toSessionResponse(await this.starts.stop(actor, sessionId), [], new Date());
  }

  @Post(':id/force-stop')
  @Roles('admin', 'root')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Soft-stop a session without the charger (admin)',
    description:
      'For a zombie session whose charger will not send StopTransaction: closes it at once, without a command to ' +
      'the charger, billed on its last known reading (energy and time; the start when it sent none) with its frozen ' +
      "tariff, stop reason `ForceStopped`, the reason and the operator recorded as a `force_stopped` anomaly. Should the charger's " +
      'StopTransaction arrive later, the session is settled again on it (a `stop_corrected` anomaly, event `session.updated`).',
  })
  @ApiBody({ type: ForceStopSessionDto, examples: { replaced: { value: { reason: 'Charger replaced' } } } })
  @ApiOkResponse({ type: SessionResponse, description: 'The completed session with its bill' })
  @ApiErrors(
    { VALIDATION_FAILED: 'naming `reason`' },
    { NOT_FOUND: 'No such session in your tenant' },
    { SESSION_NOT_ACTIVE: 'pending, completed or failed' },
  )
  async forceStop(
    @CurrentActor() actor: Actor,
    @Param('id', id) sessionId: string,
    @Body() dto: ForceStopSessionDto,
  ): Promise<SessionResponse> {
    await this.zombies.forceStop(actor, sessionId, dto.reason);
    return this.queries.get(actor, sessionId);
  }

  @Patch(':id')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: "Set a settled order's payment status (admin, or an API key with the admin scope)",
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { SESSION_NOT_ACTIVE: 'the session is not settled' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', id) sessionId: string,
    @Body() dto: UpdateSessionDto,
  ): Promise<SessionResponse> {
    return this.queries.setPaymentStatus(actor, sessionId, dto.paymentStatus);
  }
}
