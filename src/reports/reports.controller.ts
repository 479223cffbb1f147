import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiOkContent, CSV } from '../common/api-content.decorator';
import { RequestHeader } from '../common/request-header.decorator';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { HabitsQueryDto, ReportRangeDto, SummaryQueryDto } from './dto/report-query.dto';
import { HabitsResponse, SummaryResponse } from './dto/report.response';
import { habitsCsv, summaryCsv } from './report-csv';
import { ReportsService } from './reports.service';
import { ApiErrors } from '../common/api-errors';

const wantsCsv = (q: ReportRangeDto, accept?: string) =>
  q.format === 'csv' || (q.format === undefined && /^text\/csv\b/i.test(accept ?? ''));

const csvFile = (body: string, name: string) =>
  new StreamableFile(Buffer.from(body, 'utf8'), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${name}"`,
  });

const ATTRIBUTION =
  'A session counts in the bucket where it began (startedAt, or requestedAt for a failed session that never ' +
  "started), read in the time zone: `tz`, else the site's zone with `siteId`, else UTC.";

@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Sessions, energy, revenue per currency, averages, utilisation and uptime per group',
    description: `${ATTRIBUTION} Energy, revenue and averages count completed sessions; failed ones are counted apart. CSV with \`format=csv\` or \`Accept: text/csv\`.`,
  })
  @ApiOkContent('The summary, as JSON or CSV', { 'application/json': SummaryResponse, 'text/csv': CSV })
  @ApiErrors({ VALIDATION_FAILED: 'range, tz or groupBy' }, 'FORBIDDEN', {
    NOT_FOUND: 'Site or station not found (or of another tenant)',
  })
  async summary(
    @CurrentActor() actor: Actor,
    @Query() q: SummaryQueryDto,
    @RequestHeader('accept') accept?: string,
  ): Promise<SummaryResponse | StreamableFile> {
    const report = await this.reports.summary(actor, q);
    return wantsCsv(q, accept) ? csvFile(summaryCsv(report), 'summary.csv') : report;
  }

  @Get('habits')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'Charging habits: start hours, weekdays, durations, energies, repeat users, idle time',
    description: `Admins see the tenant (or one \`userId\`); a user sees only its own sessions. ${ATTRIBUTION} Idle time is plug-out minus the last meter reading with power above zero.`,
  })
  @ApiOkContent('The habits, as JSON or CSV', { 'application/json': HabitsResponse, 'text/csv': CSV })
  @ApiErrors(
    { VALIDATION_FAILED: 'range or tz' },
    { FORBIDDEN: "Another user's habits, or an API key without an account" },
    { NOT_FOUND: 'Site, station or user not found (or of another tenant)' },
  )
  async habits(
    @CurrentActor() actor: Actor,
    @Query() q: HabitsQueryDto,
    @RequestHeader('accept') accept?: string,
  ): Promise<HabitsResponse | StreamableFile> {
    const report = await this.reports.habits(actor, q);
    return wantsCsv(q, accept) ? csvFile(habitsCsv(report), 'habits.csv') : report;
  }
}
