import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../common/actor';
import { notFound } from '../common/domain-error';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import type { DomainEvent } from './domain-event';
import type { CreateWebhookDto, DeliveryQueryDto, UpdateWebhookDto } from './dto/webhook.dto';
import { newWebhookSecret } from './webhook-signature';
import { assertWebhookTarget } from './webhook-target';
import { WebhooksRepository } from './webhooks.repository';
import type { DeliveryStatus, WebhookDeliveryRow, WebhookRow } from './webhooks.tables';

/** The JSON body of every delivery; the same shape as a live `/events` message plus the tenant. */
export const webhookPayload = (e: DomainEvent): Record<string, unknown> => ({
  id: e.id,
  type: e.type,
  occurredAt: e.occurredAt,
  tenantId: e.tenantId,
  stationId: e.stationId ?? null,
  userId: e.userId ?? null,
  data: e.data,
});

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateWebhookDto): Promise<{ webhook: WebhookRow; secret: string }> {
    await assertWebhookTarget(dto.url, this.config.webhooks.allowPrivateTargets);
    const secret = newWebhookSecret();
    const webhook = await this.repo.insert(actor.tenantId, {
      url: dto.url,
      events: dto.events,
      secret,
      description: dto.description ?? null,
    });
    return { webhook, secret };
  }

  async list(actor: Actor, query: { limit?: number; cursor?: string }): Promise<Page<WebhookRow>> {
    const limit = query.limit ?? 50;
    const rows = await this.repo.listByTenant(actor.tenantId, decodeCursor(query.cursor, 'timestamp'), limit);
    return toPage(rows, limit, (r) => r, cursorOf);
  }

  async get(actor: Actor, id: string): Promise<WebhookRow> {
    const row = await this.repo.findById(actor.tenantId, id);
    if (!row) throw notFound('Webhook', id);
    return row;
  }

  async update(actor: Actor, id: string, dto: UpdateWebhookDto): Promise<WebhookRow> {
    await this.get(actor, id);
    if (dto.url !== undefined) await assertWebhookTarget(dto.url, this.config.webhooks.allowPrivateTargets);
    const row = await this.repo.update(actor.tenantId, id, dto);
    if (!row) throw notFound('Webhook', id);
    return row;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.delete(actor.tenantId, id))) throw notFound('Webhook', id);
  }

  async deliveries(actor: Actor, id: string, query: DeliveryQueryDto): Promise<Page<WebhookDeliveryRow>> {
    await this.get(actor, id);
    const limit = query.limit ?? 50;
    const rows = await this.repo.listDeliveries(
      actor.tenantId,
      id,
      query.status as DeliveryStatus | undefined,
      decodeCursor(query.cursor, 'timestamp'),
      limit,
    );
    return toPage(rows, limit, (r) => r, cursorOf);
  }

  /** Queues a `ping` to the webhook whatever its event patterns, so an admin can check the receiver. */
  async ping(actor: Actor, id: string): Promise<WebhookDeliveryRow> {
    const webhook = await this.get(actor, id);
    const event = { id: randomUUID(), type: 'ping' };
    return this.repo.enqueueOne(webhook.tenantId, webhook.id, event, {
      id: event.id,
      type: event.type,
      occurredAt: new Date().toISOString(),
      tenantId: webhook.tenantId,
      stationId: null,
      userId: null,
      data: { webhookId: webhook.id },
    });
  }

  /** For the event-bus listener: durable delivery rows, one per event and matching webhook. */
  enqueue(events: DomainEvent[]): Promise<number> {
    return this.repo.enqueueForEvents(events.map((event) => ({ event, payload: webhookPayload(event) })));
  }
}

const cursorOf = (r: { createdAt: Date; id: string }) => ({ k: r.createdAt.toISOString(), id: r.id });
