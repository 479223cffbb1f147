import { Injectable } from '@nestjs/common';
import { Actor, accountOf, isAdmin, tenantScopeOf } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { isValidTimeZone } from '../common/time-zones';
import type { HabitsQueryDto, ReportRangeDto, SummaryQueryDto } from './dto/report-query.dto';
import type { HabitsResponse, SummaryResponse } from './dto/report.response';
import {
  DURATION_BIN_MINUTES,
  ENERGY_BIN_KWH,
  binLabels,
  denseCounts,
  rangeProblems,
} from './report-buckets';
import { ReportScope, ReportsQueries } from './reports.queries';
import { composeSummary } from './summary-rows';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

@Injectable()
export class ReportsService {
  constructor(private readonly queries: ReportsQueries) {}

  async summary(actor: Actor, q: SummaryQueryDto): Promise<SummaryResponse> {
    const scope = await this.scopeOf(actor, q);
    const groupBy = q.groupBy ?? 'day';
    const summary = await composeSummary(this.queries, scope, groupBy);
    return {
      from: scope.from.toISOString(),
      to: scope.to.toISOString(),
      groupBy,
      timeZone: scope.timeZone,
      attribution: 'start',
      ...summary,
    };
  }

  async habits(actor: Actor, q: HabitsQueryDto): Promise<HabitsResponse> {
    let userId = q.userId;
    if (!isAdmin(actor)) {
      const own = accountOf(actor);
      if (userId !== undefined && userId !== own)
        throw new DomainError('FORBIDDEN', 'A user may only read its own habits');
      userId = own;
    }
    const scope = { ...(await this.scopeOf(actor, q)), userId };
    if (userId !== undefined && !(await this.queries.userExists(scope.tenantId, userId)))
      throw notFound('User', userId);
    const f = await this.queries.habits(scope);
    const hours = denseCounts(24, f.hours);
    const weekdays = denseCounts(7, f.weekdays, 1);
    const durations = denseCounts(DURATION_BIN_MINUTES.length + 1, f.durations);
    const energies = denseCounts(ENERGY_BIN_KWH.length + 1, f.energies);
    const durationLabels = binLabels(DURATION_BIN_MINUTES);
    const energyLabels = binLabels(ENERGY_BIN_KWH);
    return {
      from: scope.from.toISOString(),
      to: scope.to.toISOString(),
      timeZone: scope.timeZone,
      userId: userId ?? null,
      sessions: hours.reduce((a, b) => a + b, 0),
      startHours: hours.map((n, h) => ({ bin: String(h), sessions: n })),
      weekdays: weekdays.map((n, i) => ({ bin: String(i + 1), label: WEEKDAYS[i], sessions: n })),
      durationMinutes: durations.map((n, i) => ({ bin: durationLabels[i], sessions: n })),
      energyKwh: energies.map((n, i) => ({ bin: energyLabels[i], sessions: n })),
      users: f.users,
      idle: f.idle,
    };
  }

  /** Validates the range, the zone and the filters, all within the caller's tenant. */
  private async scopeOf(actor: Actor, q: ReportRangeDto): Promise<ReportScope> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    const problems = rangeProblems(from, to);
    if (problems.length > 0)
      throw new DomainError('VALIDATION_FAILED', problems[0], {
        fields: [{ field: 'to', errors: problems }],
      });
    if (q.tz !== undefined && !isValidTimeZone(q.tz)) {
      const message = `tz ${q.tz} is not an IANA time zone`;
      throw new DomainError('VALIDATION_FAILED', message, { fields: [{ field: 'tz', errors: [message] }] });
    }
    const tenantId = tenantScopeOf(actor, q.tenantId);
    let timeZone = q.tz ?? 'UTC';
    if (q.siteId) {
      const siteZone = await this.queries.siteTimeZone(tenantId, q.siteId);
      if (siteZone === null) throw notFound('Site', q.siteId);
      timeZone = q.tz ?? siteZone;
    }
    if (q.stationId && !(await this.queries.stationExists(tenantId, q.stationId)))
      throw notFound('Station', q.stationId);
    return { tenantId, from, to, timeZone, siteId: q.siteId, stationId: q.stationId };
  }
}
