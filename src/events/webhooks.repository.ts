import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Cursor } from '../common/pagination';
import { InjectDb } from '../database/database.module';
import { type Db, rowsOf } from '../database/database';
import type { DomainEvent } from './domain-event';
import { patternsMatching } from './event-visibility';
import {
  DeliveryStatus,
  WebhookDeliveryRow,
  WebhookRow,
  webhookDeliveries,
  webhooks,
} from './webhooks.tables';

export interface ClaimedDelivery extends WebhookDeliveryRow {
  url: string;
  secret: string;
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const after = (createdAt: AnyPgColumn, id: AnyPgColumn, c: Cursor | null) =>
  c ? or(lt(createdAt, new Date(c.k)), and(eq(createdAt, new Date(c.k)), lt(id, c.id))) : undefined;

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insert(
    tenantId: string,
    values: Omit<typeof webhooks.$inferInsert, 'tenantId'>,
  ): Promise<WebhookRow> {
    const [row] = await this.db
      .insert(webhooks)
      .values({ ...values, tenantId })
      .returning();
    return row;
  }

  async findById(tenantId: string, id: string): Promise<WebhookRow | null> {
    const [row] = await this.db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)));
    return row ?? null;
  }

  /** Newest first, keyset-paginated on (createdAt, id). */
  listByTenant(tenantId: string, cursor: Cursor | null, limit: number): Promise<WebhookRow[]> {
    return this.db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.tenantId, tenantId), after(webhooks.createdAt, webhooks.id, cursor)))
      .orderBy(desc(webhooks.createdAt), desc(webhooks.id))
      .limit(limit + 1);
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<WebhookRow, 'url' | 'events' | 'active' | 'description'>>,
  ): Promise<WebhookRow | null> {
    const [row] = await this.db
      .update(webhooks)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)))
      .returning();
    return row ?? null;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(webhooks)
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)))
      .returning({ id: webhooks.id });
    return rows.length > 0;
  }

  listDeliveries(
    tenantId: string,
    webhookId: string,
    status: DeliveryStatus | undefined,
    cursor: Cursor | null,
    limit: number,
  ): Promise<WebhookDeliveryRow[]> {
    const d = webhookDeliveries;
    return this.db
      .select()
      .from(d)
      .where(
        and(
          eq(d.tenantId, tenantId),
          eq(d.webhookId, webhookId),
          status ? eq(d.status, status) : undefined,
          after(d.createdAt, d.id, cursor),
        ),
      )
      .orderBy(desc(d.createdAt), desc(d.id))
      .limit(limit + 1);
  }

  /**
   * One row per event and active webhook of the event's tenant whose patterns select it, for a
   * whole batch of events in one statement (the events travel as one JSON parameter).
   */
  async enqueueForEvents(batch: { event: DomainEvent; payload: Record<string, unknown> }[]): Promise<number> {
    if (batch.length === 0) return 0;
    const json = JSON.stringify(
      batch.map(({ event, payload }) => ({
        id: event.id,
        tenant_id: event.tenantId,
        type: event.type,
        patterns: patternsMatching(event.type),
        payload,
      })),
    );
    const rows = await this.db.execute<{ id: string }>(sql`
      insert into webhook_deliveries (webhook_id, tenant_id, event_id, event_type, payload)
      select w.id, w.tenant_id, e.id, e.type, e.payload
      from json_to_recordset(${json}::json) as e(id uuid, tenant_id uuid, type text, patterns text[], payload jsonb)
      join webhooks w on w.tenant_id = e.tenant_id and w.active and w.events && e.patterns
      on conflict (webhook_id, event_id) do nothing
      returning id`);
    return rowsOf(rows).length;
  }

  async enqueueOne(
    tenantId: string,
    webhookId: string,
    event: { id: string; type: string },
    payload: Record<string, unknown>,
  ): Promise<WebhookDeliveryRow> {
    const [row] = await this.db
      .insert(webhookDeliveries)
      .values({
        webhookId,
        tenantId,
        eventId: event.id,
        eventType: event.type,
        payload,
      })
      .returning();
    return row;
  }

  /**
   * Claims up to `limit` due deliveries for this node. SKIP LOCKED lets several nodes claim at
   * once without waiting on or taking each other's rows; pushing `next_attempt_at` out by the
   * lease keeps a row claimed after the statement commits, and a node that dies mid-attempt
   * simply lets the lease lapse so another node retries it.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const claimed = await this.db.execute<{ id: string }>(sql`
      with due as (
        select id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at
        limit ${limit}
        for update skip locked
      )
      update webhook_deliveries d
      set attempts = d.attempts + 1,
          next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}),
          last_attempt_at = now(),
          updated_at = now()
      from due
      where d.id = due.id
      returning d.id`);
    const ids = rowsOf<{ id: string }>(claimed).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ delivery: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
      .from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .where(inArray(webhookDeliveries.id, ids));
    return rows.map((r) => ({ ...r.delivery, url: r.url, secret: r.secret }));
  }

  async markDelivered(id: string, outcome: AttemptOutcome): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({
        status: 'delivered',
        deliveredAt: new Date(),
        lastStatusCode: outcome.statusCode,
        lastError: null,
        lastDurationMs: outcome.durationMs,
        updatedAt: new Date(),
      })
      .where(eq(webhookDeliveries.id, id));
  }

  /** A failed attempt: retried at `retryAt`, or `failed` for good when retryAt is null. */
  async markAttemptFailed(id: string, outcome: AttemptOutcome, retryAt: Date | null): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({
        status: retryAt ? 'pending' : 'failed',
        nextAttemptAt: retryAt ?? new Date(),
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error?.slice(0, 1000) ?? null,
        lastDurationMs: outcome.durationMs,
        updatedAt: new Date(),
      })
      .where(eq(webhookDeliveries.id, id));
  }

  /** How many deliveries wait, and since when the oldest (all tenants; for metrics). */
  async queueStats(): Promise<{ depth: number; oldest: Date | null }> {
    const d = webhookDeliveries;
    const [row] = await this.db
      .select({ depth: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${d.createdAt})` })
      .from(d)
      .where(eq(d.status, 'pending'));
    return { depth: row?.depth ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
  }

  /** Removes finished deliveries last touched before `cutoff`; pending ones always stay. */
  async pruneFinishedBefore(cutoff: Date): Promise<number> {
    const d = webhookDeliveries;
    const rows = await this.db
      .delete(d)
      .where(and(inArray(d.status, ['delivered', 'failed']), lt(d.updatedAt, cutoff)))
      .returning({ id: d.id });
    return rows.length;
  }

  /** Gives back a claim interrupted by shutdown: the attempt did not count. */
  async release(id: string): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} - 1`,
        nextAttemptAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(webhookDeliveries.id, id));
  }
}
