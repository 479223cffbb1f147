import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsInDateRange } from '../../common/validation';
import type { ChargerNotificationRow } from '../ocpp.tables';

export class SecurityEventQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 'FirmwareUpdated',
    description: 'Only events of this type, exactly as the station names it',
  })
  @IsOptional()
  @IsString()
  // A 2.0.1 security event type is a string[50].
  @Length(1, 50)
  type?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T00:00:00Z',
    description: 'Received at or after (Kilowatt’s clock: a station’s own may be wrong)',
  })
  @IsOptional()
  @IsDateString()
  @IsInDateRange()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-04T00:00:00Z', description: 'Received before' })
  @IsOptional()
  @IsDateString()
  @IsInDateRange()
  to?: string;
}

interface SecurityEventPayload {
  type?: unknown;
  timestamp?: unknown;
  techInfo?: unknown;
}

export class SecurityEventResponse {
  @ApiProperty({ example: '311', description: 'Increasing per server; use the cursor to page' })
  id: string;

  @ApiProperty({
    example: 'FirmwareUpdated',
    description: 'The security event type the station reported (OCPP 2.0.1 part 2, appendix 1, or its own)',
  })
  type: string;

  @ApiProperty({
    example: '2026-12-03T10:00:00Z',
    description:
      'When it happened by the station’s clock, as reported (a station without a set clock may say 1970)',
  })
  timestamp: string;

  @ApiProperty({
    example: '2026-12-03T10:00:01.000Z',
    description: 'When Kilowatt received it; the list’s order',
  })
  receivedAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Firmware 2.4.1 installed from https://fw.example.com/2.4.1.bin',
    description: 'Free text from the station, up to 255 characters',
  })
  techInfo: string | null;

  static of(row: ChargerNotificationRow): SecurityEventResponse {
    const p = (row.payload ?? {}) as SecurityEventPayload;
    return {
      id: String(row.id),
      type: String(p.type ?? ''),
      timestamp: String(p.timestamp ?? ''),
      receivedAt: row.receivedAt.toISOString(),
      techInfo: typeof p.techInfo === 'string' ? p.techInfo : null,
    };
  }
}

export class SecurityEventPage {
  @ApiProperty({ type: [SecurityEventResponse] })
  items: SecurityEventResponse[];

  @ApiProperty({
    type: String,
    example: 'eyJrIjoiMjAyNi0xMi0wM1QxMDowMDowMVoiLCJpZCI6IjMxMSJ9',
    nullable: true,
  })
  nextCursor: string | null;
}
