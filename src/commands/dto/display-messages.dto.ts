import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { INT32_MAX, IsInDateRange, IsOmittable } from '../../common/validation';
import {
  MESSAGE_FORMATS,
  MESSAGE_PRIORITIES,
  MESSAGE_STATES,
  SET_MESSAGE_STATUSES,
} from '../display-messages';
import type { DisplayRef, StationDisplayMessageRow } from '../display-messages.tables';
import { ComponentRefDto } from './station-variables.dto';

export class MessageContentDto {
  @ApiProperty({ enum: MESSAGE_FORMATS, example: 'UTF8' })
  @IsIn(MESSAGE_FORMATS)
  format: (typeof MESSAGE_FORMATS)[number];

  @ApiPropertyOptional({ example: 'en', maxLength: 8, description: 'RFC 5646 language code' })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(8)
  language?: string;

  @ApiProperty({ example: 'Station closes at 22:00 for maintenance', maxLength: 512 })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  content: string;
}

export class SetDisplayMessageDto {
  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    minimum: 0,
    description:
      'The message id at the station; one is allocated when left out. An id in use replaces that message.',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  id?: number;

  @ApiProperty({ enum: MESSAGE_PRIORITIES, example: 'InFront' })
  @IsIn(MESSAGE_PRIORITIES)
  priority: (typeof MESSAGE_PRIORITIES)[number];

  @ApiPropertyOptional({
    enum: MESSAGE_STATES,
    example: 'Idle',
    description: 'Shown only while the station is in this state',
  })
  @IsOmittable()
  @IsIn(MESSAGE_STATES)
  state?: (typeof MESSAGE_STATES)[number];

  @ApiPropertyOptional({ example: '2026-12-05T08:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  startDateTime?: string;

  @ApiPropertyOptional({ example: '2026-12-05T22:00:00Z', description: 'After startDateTime' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  endDateTime?: string;

  @ApiPropertyOptional({
    example: 'f2a3c4d5-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
    maxLength: 36,
    description: "Shown only during this transaction (the station's transaction id)",
  })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(36)
  transactionId?: string;

  @ApiProperty({ type: MessageContentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MessageContentDto)
  message: MessageContentDto;

  @ApiPropertyOptional({
    type: ComponentRefDto,
    example: { name: 'Display', evse: { id: 1 } },
    description: 'The display to show it on; the station chooses when left out',
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => ComponentRefDto)
  display?: ComponentRefDto;
}

export class DisplayMessageResponse {
  @ApiProperty({ type: 'integer', example: 1, description: 'The message id at the station' })
  id: number;

  @ApiProperty({ enum: MESSAGE_PRIORITIES, example: 'InFront' }) priority: string;
  @ApiProperty({ type: String, nullable: true, enum: MESSAGE_STATES, example: null }) state: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-05T08:00:00.000Z' })
  startDateTime: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-05T22:00:00.000Z' })
  endDateTime: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) transactionId: string | null;
  @ApiProperty({ type: MessageContentDto }) message: MessageContentDto;
  @ApiProperty({ type: ComponentRefDto, nullable: true, example: null }) display: DisplayRef | null;

  @ApiProperty({
    enum: [...SET_MESSAGE_STATUSES, 'Reported'],
    example: 'Accepted',
    description:
      "The station's answer to the SetDisplayMessage that set it, or Reported when it came in the station's own report",
  })
  status: string;

  @ApiProperty({ example: '2026-12-04T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-12-04T08:00:00.000Z' }) updatedAt: string;

  static of(r: StationDisplayMessageRow): DisplayMessageResponse {
    return {
      id: r.messageId,
      priority: r.priority,
      state: r.state,
      startDateTime: r.startDateTime?.toISOString() ?? null,
      endDateTime: r.endDateTime?.toISOString() ?? null,
      transactionId: r.transactionId,
      message: {
        format: r.format as MessageContentDto['format'],
        ...(r.language !== null && { language: r.language }),
        content: r.content,
      },
      display: r.display,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export class DisplayMessageListResponse {
  @ApiProperty({ type: [DisplayMessageResponse] }) items: DisplayMessageResponse[];
}

export class SetDisplayMessageResponse {
  @ApiProperty({ enum: SET_MESSAGE_STATUSES, example: 'Accepted', description: "The station's answer" })
  status: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { reasonCode: 'UnsupportedFormat' },
    description: 'The statusInfo the station added, as it sent it',
  })
  statusInfo?: Record<string, unknown>;

  @ApiProperty({
    type: DisplayMessageResponse,
    nullable: true,
    description: 'The message as stored now (a refused replacement leaves the stored one as it was)',
  })
  displayMessage: DisplayMessageResponse | null;
}

export class RefreshDisplayMessagesResponse {
  @ApiProperty({
    enum: ['Accepted', 'Unknown'],
    example: 'Accepted',
    description:
      'Accepted: the station reports its messages (NotifyDisplayMessages), which replace the stored set once its ' +
      'last part arrives; Unknown: it shows none, and the stored set was emptied',
  })
  status: string;

  @ApiProperty({ type: 'integer', example: 1804289383, description: 'The requestId of GetDisplayMessages' })
  requestId: number;
}

export class ClearDisplayMessageResponse {
  @ApiProperty({
    enum: ['Accepted', 'Unknown'],
    example: 'Accepted',
    description:
      "The station's answer; either way the message is no longer stored (Unknown: the station had none)",
  })
  status: string;
}
