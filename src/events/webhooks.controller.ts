import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { PageQueryDto } from '../common/pagination';
import { CurrentActor, Roles } from '../common/roles.decorator';
import {
  CreateWebhookDto,
  CreatedWebhookResponse,
  DeliveryPageResponse,
  DeliveryQueryDto,
  DeliveryResponse,
  UpdateWebhookDto,
  WebhookPageResponse,
  WebhookResponse,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';
import type { WebhookDeliveryRow, WebhookRow } from './webhooks.tables';
import { ApiErrors } from '../common/api-errors';
import { uuidParam } from '../common/uuid-param';

const toWebhook = (w: WebhookRow): WebhookResponse => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDelivery = (d: WebhookDeliveryRow): DeliveryResponse => ({
  id: d.id,
  webhookId: d.webhookId,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastDurationMs: d.lastDurationMs,
  lastAttemptAt: iso(d.lastAttemptAt),
  deliveredAt: iso(d.deliveredAt),
  createdAt: d.createdAt.toISOString(),
  payload: d.payload,
});

const TARGET_REFUSED = { WEBHOOK_TARGET_NOT_ALLOWED: 'a non-http(s), loopback or private target' };

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
@Roles('admin', 'root')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to events',
    description:
      'Deliveries are POSTed as JSON and signed after the Standard Webhooks specification (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the base64-decoded `secret` returned here, once) and, for older receivers, `X-Kilowatt-Signature: sha256=<hex HMAC-SHA256 of "<X-Kilowatt-Timestamp>.<body>">` keyed with the secret string.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiErrors('VALIDATION_FAILED', TARGET_REFUSED)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const { webhook, secret } = await this.webhooks.create(actor, dto);
    return { ...toWebhook(webhook), secret };
  }

  @Get()
  @ApiOperation({ summary: "The tenant's webhooks, newest first" })
  @ApiOkResponse({ type: WebhookPageResponse })
  @ApiErrors('VALIDATION_FAILED')
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<WebhookPageResponse> {
    const page = await this.webhooks.list(actor, query);
    return { items: page.items.map(toWebhook), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook (without its secret)' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<WebhookResponse> {
    return toWebhook(await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, the events, the description, or pause/resume' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', TARGET_REFUSED)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return toWebhook(await this.webhooks.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook and its delivery log' })
  @ApiNoContentResponse()
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log, newest first: status, attempts, last answer' })
  @ApiOkResponse({ type: DeliveryPageResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryPageResponse> {
    const page = await this.webhooks.deliveries(actor, id, query);
    return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a `ping` event',
    description: 'Queued like any delivery (signed, retried); follow it in the delivery log.',
  })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async test(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<DeliveryResponse> {
    return toDelivery(await this.webhooks.ping(actor, id));
  }
}
