import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { GROUP_BYS, GroupBy } from '../report-buckets';
import { IsInDateRange } from '../../common/validation';

export class ReportRangeDto {
  @ApiProperty({ example: '2026-03-01T00:00:00Z', description: 'Start of the range (inclusive), ISO 8601' })
  @IsISO8601({ strict: true })
  @IsInDateRange()
  from: string;

  @ApiProperty({
    example: '2026-04-01T00:00:00Z',
    description: 'End of the range (exclusive), ISO 8601; after `from`, at most 1100 days later',
  })
  @IsISO8601({ strict: true })
  @IsInDateRange()
  to: string;

  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    description: "IANA time zone of the buckets. Default: the site's zone when `siteId` is given, else UTC.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the stations of this site' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this station' })
  @IsOptional()
  @IsUUID()
  stationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Root only: the tenant to report on (default: all)' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv: the same figures as CSV (or `Accept: text/csv`)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class SummaryQueryDto extends ReportRangeDto {
  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'day', example: 'day' })
  @IsOptional()
  @IsIn(GROUP_BYS)
  groupBy?: GroupBy;
}

export class HabitsQueryDto extends ReportRangeDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Admins: one user only. A user always gets its own habits (another id answers 403).',
  })
  @IsOptional()
  @IsUUID()
  userId?: string;
}
