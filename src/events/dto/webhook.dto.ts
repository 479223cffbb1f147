import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { EVENT_TYPES } from '../domain-event';
import { EVENT_PATTERNS } from '../event-visibility';
import { DELIVERY_STATUSES, DeliveryStatus } from '../webhooks.tables';
import { IsOmittable } from '../../common/validation';

const URL_RULES = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const URL_DOC = {
  example: 'https://partner.example.com/kilowatt/webhooks',
  description: 'http(s) URL; loopback and private addresses are refused unless the server allows them',
};
const EVENTS_DOC = {
  example: ['session.*', 'station.status_changed'],
  description: 'Event types, or `session.*`, `station.*`, `*`',
  enum: EVENT_PATTERNS,
  isArray: true,
};

export class CreateWebhookDto {
  @ApiProperty(URL_DOC)
  @IsUrl(URL_RULES)
  @MaxLength(2000)
  url: string;

  @ApiProperty(EVENTS_DOC)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_PATTERNS.length)
  @ArrayUnique()
  @IsIn(EVENT_PATTERNS, { each: true })
  events: string[];

  @ApiPropertyOptional({ example: 'Billing system', maxLength: 200 })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional(URL_DOC)
  @IsOmittable()
  @IsUrl(URL_RULES)
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_PATTERNS.length)
  @ArrayUnique()
  @IsIn(EVENT_PATTERNS, { each: true })
  events?: string[];

  @ApiPropertyOptional({ example: false, description: 'An inactive webhook receives no new deliveries' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ example: 'Billing system (v2)', maxLength: 200 })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class WebhookResponse {
  @ApiProperty({ example: '0b5c3c1e-8f0e-4c3a-9d59-2a4f1d1c7e11' }) id: string;
  @ApiProperty(URL_DOC) url: string;
  @ApiProperty(EVENTS_DOC) events: string[];
  @ApiProperty({ example: 'Billing system', nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_q2Yt0m3Vb8Xk1Jr5Zc9Nw4Pf7Ls6Hd2Ga0Te3Ui8Oy4=',
    description:
      'The signing secret, in the Standard Webhooks form (`whsec_` + base64 key): give it as it is to a Standard Webhooks library to verify `webhook-signature`; `X-Kilowatt-Signature` is keyed with the whole string. Shown only in this response: store it now.',
  })
  secret: string;
}

export class WebhookPageResponse {
  @ApiProperty({ type: [WebhookResponse] }) items: WebhookResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}

export class DeliveryResponse {
  @ApiProperty({
    example: '7d0f1a52-2c1b-4b8e-9a3e-5e4b1f0c2d33',
    description: 'Also sent as X-Kilowatt-Delivery',
  })
  id: string;
  @ApiProperty({ example: '0b5c3c1e-8f0e-4c3a-9d59-2a4f1d1c7e11' }) webhookId: string;
  @ApiProperty({ example: 'c7a4e2d0-1f3b-4e5a-8c6d-9b0a1e2f3c4d' }) eventId: string;
  @ApiProperty({
    enum: [...EVENT_TYPES, 'ping'],
    example: 'session.completed',
    description: 'An event type, or `ping` for a test',
  })
  eventType: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' }) status: DeliveryStatus;
  @ApiProperty({ example: 1, description: 'Attempts made so far' }) attempts: number;
  @ApiProperty({ example: '2026-11-22T10:00:10.000Z', nullable: true, type: String })
  nextAttemptAt: string | null;
  @ApiProperty({ example: 200, nullable: true, type: 'integer' }) lastStatusCode: number | null;
  @ApiProperty({ example: null, nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ example: 84, nullable: true, type: Number }) lastDurationMs: number | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.084Z', nullable: true, type: String })
  lastAttemptAt: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.084Z', nullable: true, type: String })
  deliveredAt: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { id: 'c7a4…', type: 'session.completed', occurredAt: '2026-11-22T10:00:00.000Z', data: {} },
    description: 'The JSON body sent',
  })
  payload: Record<string, unknown>;
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
