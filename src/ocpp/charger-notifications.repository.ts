import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SQL, and, asc, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import { Clock } from '../common/clock';
import { Cursor, Page, decodeCursor, toPage } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { BURST_LINGER_MS, Batcher } from '../database/batcher';
import { type Db } from '../database/database';
import { InjectDb } from '../database/database.module';
import type { TenantScope } from '../stations/tenant-scope';
import { ChargerNotificationRow, SECURITY_EVENT, chargerNotifications } from './ocpp.tables';

export interface NewChargerNotification {
  tenantId: string;
  stationId: string;
  action: string;
  payload: unknown;
}

const HOUR_MS = 3_600_000;

/**
 * The charger_notifications table: written in group commits (a burst of stations reporting at
 * once shares one INSERT), each write answered only once committed; read newest first per station.
 */
@Injectable()
export class ChargerNotificationsRepository implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChargerNotificationsRepository.name);
  private timer?: NodeJS.Timeout;
  private readonly writes = new Batcher<NewChargerNotification, void>(
    async (rows) => {
      const receivedAt = this.clock.now();
      await this.db
        .insert(chargerNotifications)
        .values(rows.map((r) => ({ ...r, payload: r.payload ?? {}, receivedAt })));
      return rows.map(() => undefined);
    },
    { name: 'charger notification', maxBatchWeight: 500, maxQueuedWeight: 50_000, lingerMs: BURST_LINGER_MS },
  );

  constructor(
    @InjectDb() private readonly db: Db,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.purgeOlderThan(this.config.ocpp.messageLogRetentionDays).catch((err: unknown) =>
        this.logger.warn({ err }, 'Charger notification purge failed'),
      );
    }, HOUR_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Resolves once the row is committed. */
  record(tenantId: string, n: Omit<NewChargerNotification, 'tenantId'>): Promise<void> {
    return this.writes.run({ ...n, tenantId });
  }

  async purgeOlderThan(days: number): Promise<void> {
    await this.db
      .delete(chargerNotifications)
      .where(lt(chargerNotifications.receivedAt, sql`now() - make_interval(days => ${days})`));
  }

  /** Newest first; the caller has checked the station is visible to the actor. `scope` null: root. */
  listByStation(
    scope: TenantScope,
    stationId: string,
    page: { action?: string; limit: number; cursor?: string },
  ): Promise<Page<ChargerNotificationRow>> {
    const t = chargerNotifications;
    return this.newestFirst(
      and(
        scope === null ? undefined : eq(t.tenantId, scope),
        eq(t.stationId, stationId),
        page.action === undefined ? undefined : eq(t.action, page.action),
      ),
      page,
    );
  }

  /**
   * The parts of one report a station sent in answer to our request `requestId` (its payload's
   * `requestId`), oldest first; at most 1000, more than any report we ask for.
   */
  partsOfRequest(
    tenantId: string,
    stationId: string,
    action: string,
    requestId: number,
  ): Promise<ChargerNotificationRow[]> {
    const t = chargerNotifications;
    return this.db
      .select()
      .from(t)
      .where(
        and(
          eq(t.tenantId, tenantId),
          eq(t.stationId, stationId),
          eq(t.action, action),
          sql`${t.payload}->>'requestId' = ${String(requestId)}`,
        ),
      )
      .orderBy(asc(t.id))
      .limit(1000);
  }

  /**
   * A station's SecurityEventNotifications, newest received first (a station's own clock may read
   * 1970 or 2100, so its `timestamp` orders nothing); `from`/`to` bound the time received.
   */
  listSecurityEvents(
    scope: TenantScope,
    stationId: string,
    q: { type?: string; from?: Date; to?: Date; limit: number; cursor?: string },
  ): Promise<Page<ChargerNotificationRow>> {
    const t = chargerNotifications;
    return this.newestFirst(
      and(
        scope === null ? undefined : eq(t.tenantId, scope),
        eq(t.stationId, stationId),
        eq(t.action, SECURITY_EVENT),
        q.type === undefined ? undefined : sql`${t.payload}->>'type' = ${q.type}`,
        q.from === undefined ? undefined : gte(t.receivedAt, q.from),
        q.to === undefined ? undefined : lt(t.receivedAt, q.to),
      ),
      q,
    );
  }

  private async newestFirst(
    where: SQL | undefined,
    page: { limit: number; cursor?: string },
  ): Promise<Page<ChargerNotificationRow>> {
    const after = decodeCursor(page.cursor, 'timestamp', 'serial');
    const t = chargerNotifications;
    const rows = await this.db
      .select()
      .from(t)
      .where(
        and(
          where,
          after
            ? or(
                lt(t.receivedAt, new Date(after.k)),
                and(eq(t.receivedAt, new Date(after.k)), lt(t.id, Number(after.id))),
              )
            : undefined,
        ),
      )
      .orderBy(desc(t.receivedAt), desc(t.id))
      .limit(page.limit + 1);
    return toPage(
      rows,
      page.limit,
      (r) => r,
      (r): Cursor => ({ k: r.receivedAt.toISOString(), id: String(r.id) }),
    );
  }
}
