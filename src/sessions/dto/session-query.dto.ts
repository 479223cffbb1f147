import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { SESSION_STATUSES, SessionStatus } from '../sessions.tables';
import { IsInDateRange } from '../../common/validation';

export class SessionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SESSION_STATUSES, example: 'completed' })
  @IsOptional()
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  stationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Admins only; users always see their own' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Requested at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @IsInDateRange()
  from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Requested at or before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @IsInDateRange()
  to?: Date;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv (admins): the whole filtered set as CSV' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class MeterValuesQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5000, default: 1000, example: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}
