import { Injectable } from '@nestjs/common';
import { Actor, hasScope, isAdmin } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { Cursor, Page, decodeCursor, encodeCursor } from '../common/pagination';
import type { TenantScope } from '../stations/tenant-scope';
import { TariffPricingError } from '../tariffs/tariff-pricing';
import { AnomalyPageResponse, MeterValueResponse, SessionResponse } from './dto/session.response';
import { SessionQueryDto } from './dto/session-query.dto';
import { energyRegister } from './meter-readings';
import { SessionFilter, SessionReads } from './session-reads.repository';
import { SessionWrites } from './session-writes.repository';
import type { PaymentStatus } from './sessions.tables';
import { estimateSoFar } from './settlement';
import {
  CSV_HEADER,
  SessionView,
  toAnomalyResponse,
  toCsvRow,
  toSessionResponse,
  visibleTo,
} from './session-view';

const CSV_PAGE = 500;

/** Reading sessions (orders): a user its own, an admin its tenant's, root everyone's. */
@Injectable()
export class SessionQueriesService {
  constructor(
    private readonly reads: SessionReads,
    private readonly writes: SessionWrites,
    private readonly config: AppConfig,
  ) {}

  async get(actor: Actor, id: string, now = new Date()): Promise<SessionResponse> {
    const view = await this.find(actor, id);
    const anomalies = await this.reads.anomaliesOf(view.tenantId, [view.id]);
    return toSessionResponse(view, anomalies, now, await this.estimate(view, now));
  }

  async list(actor: Actor, q: SessionQueryDto, now = new Date()): Promise<Page<SessionResponse>> {
    const limit = q.limit ?? 50;
    const scope = visibleTo(actor).tenantId;
    const rows = await this.reads.list(
      scope,
      this.filterOf(actor, q),
      limit + 1,
      decodeCursor(q.cursor, 'timestamp'),
    );
    const items = rows.slice(0, limit);
    const anomalies = await this.reads.anomaliesOf(
      scope,
      items.filter((r) => r.anomalyCount > 0).map((r) => r.id),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((r) =>
        toSessionResponse(
          r,
          anomalies.filter((a) => a.sessionId === r.id),
          now,
        ),
      ),
      nextCursor:
        rows.length > limit ? encodeCursor({ k: last.requestedAt.toISOString(), id: last.id }) : null,
    };
  }

  /** The whole filtered set as CSV, read page by page so memory stays bounded. Admins only. */
  exportCsv(actor: Actor, q: SessionQueryDto): AsyncGenerator<string> {
    // Checked before the first byte is sent: a refusal must still be a clean JSON error.
    if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'CSV export is for admins');
    return this.csvRows(
      visibleTo(actor).tenantId,
      this.filterOf(actor, q),
      decodeCursor(q.cursor, 'timestamp'),
    );
  }

  private async *csvRows(
    scope: TenantScope,
    filter: SessionFilter,
    from: Cursor | null,
  ): AsyncGenerator<string> {
    yield CSV_HEADER;
    let after = from;
    for (;;) {
      const rows = await this.reads.list(scope, filter, CSV_PAGE, after);
      yield rows.map(toCsvRow).join('');
      if (rows.length < CSV_PAGE) return;
      const last = rows[rows.length - 1];
      after = { k: last.requestedAt.toISOString(), id: last.id };
    }
  }

  async meterValues(actor: Actor, id: string, limit: number): Promise<MeterValueResponse[]> {
    const view = await this.find(actor, id);
    const rows = await this.reads.meterValuesOf(view.tenantId, view.id, limit);
    return rows.map((r) => ({
      at: r.at.toISOString(),
      measurand: r.measurand,
      phase: r.phase,
      location: r.location,
      context: r.context,
      unit: r.unit,
      value: r.value,
    }));
  }

  async anomalies(actor: Actor, limit: number, cursor?: string): Promise<AnomalyPageResponse> {
    if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Anomalies are for admins');
    const rows = await this.reads.listAnomalies(
      visibleTo(actor).tenantId,
      limit + 1,
      decodeCursor(cursor, 'timestamp'),
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((a) => ({
        ...toAnomalyResponse(a),
        id: a.id,
        stationId: a.stationId,
        sessionId: a.sessionId,
        details: a.details,
      })),
      nextCursor:
        rows.length > limit ? encodeCursor({ k: last.occurredAt.toISOString(), id: last.id }) : null,
    };
  }

  /** Admins (and API keys with the admin scope) mark a settled order paid or unpaid. */
  async setPaymentStatus(actor: Actor, id: string, status: PaymentStatus): Promise<SessionResponse> {
    if (!isAdmin(actor) || !hasScope(actor, 'admin')) {
      throw new DomainError(
        'FORBIDDEN',
        'Payment status is set by an admin or an API key with the admin scope',
      );
    }
    const view = await this.find(actor, id);
    if (view.status !== 'completed') {
      throw new DomainError(
        'SESSION_NOT_ACTIVE',
        `Session ${id} is ${view.status}; only a settled order has a payment status`,
      );
    }
    await this.writes.setPaymentStatus(view.tenantId, view.id, status);
    return this.get(actor, id);
  }

  private async find(actor: Actor, id: string): Promise<SessionView> {
    const { tenantId, userId } = visibleTo(actor);
    const view = await this.reads.findView(tenantId, id, userId);
    if (!view) throw notFound('Session', id);
    return view;
  }

  private filterOf(actor: Actor, q: SessionQueryDto): SessionFilter {
    return {
      userId: visibleTo(actor).userId ?? q.userId,
      status: q.status,
      stationId: q.stationId,
      siteId: q.siteId,
      from: q.from,
      to: q.to,
    };
  }

  /** What an active session would cost if it stopped now; null when it cannot be priced. */
  async estimate(view: SessionView, now: Date) {
    if (view.status !== 'active' || !view.tariffSnapshot || !view.startedAt || view.meterStartWh === null)
      return null;
    try {
      const samples = energyRegister(await this.reads.energySamples(view.tenantId, view.id));
      // Billed as a stop would bill it: on the times and readings the charger-data policy believes,
      // over at most the longest span billed, so a read costs the same however long ago it began.
      return estimateSoFar({
        plan: view.tariffSnapshot,
        start: {
          stationRegisteredAt: await this.reads.stationRegisteredAt(view.tenantId, view.stationId),
          startedAt: view.startedAt,
          startReceivedAt: view.startReceivedAt ?? view.createdAt,
          meterStartWh: view.meterStartWh,
        },
        now,
        latestEnergyWh: view.lastEnergyWh,
        samples,
        policy: this.config.chargerData,
      });
    } catch (e) {
      if (e instanceof TariffPricingError) return null;
      throw e;
    }
  }
}
