import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ErrorResponse } from '../common/error.response';
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

const TARGET_REFUSED = {
  type: ErrorResponse,
  description:
    'VALIDATION_FAILED, or WEBHOOK_TARGET_NOT_ALLOWED for a non-http(s), loopback or private target',
};

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
  @ApiBadRequestResponse(TARGET_REFUSED)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const { webhook, secret } = await this.webhooks.create(actor, dto);
    return { ...toWebhook(webhook), secret };
  }

  @Get()
  @ApiOperation({ summary: "The tenant's webhooks, newest first" })
  @ApiOkResponse({ type: WebhookPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<WebhookPageResponse> {
    const page = await this.webhooks.list(actor, query);
    return { items: page.items.map(toWebhook), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook (without its secret)' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookResponse> {
    return toWebhook(await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, the events, the description, or pause/resume' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiBadRequestResponse(TARGET_REFUSED)
  @ApiNotFoundResponse({ type: ErrorResponse })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return toWebhook(await this.webhooks.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook and its delivery log' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponse })
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log, newest first: status, attempts, last answer' })
  @ApiOkResponse({ type: DeliveryPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
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
  @ApiNotFoundResponse({ type: ErrorResponse })
  async test(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DeliveryResponse> {
    return toDelivery(await this.webhooks.ping(actor, id));
  }
}
