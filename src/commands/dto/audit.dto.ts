import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsInDateRange } from '../../common/validation';

export class StationAuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Reset', description: 'OCPP action' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{1,50}$/, { message: 'action must be an OCPP action name' })
  action?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsDateString()
  @IsInDateRange()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsDateString()
  @IsInDateRange()
  to?: string;
}

export class AuditQueryDto extends StationAuditQueryDto {
  @ApiPropertyOptional({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' })
  @IsOptional()
  @IsUUID()
  stationId?: string;
}

export class AuditEntryResponse {
  @ApiProperty({ example: '6a0b1c9e-2f43-4f0f-9b8e-2b9f1f0f6c11' }) id: string;
  @ApiProperty({ example: '2f1c6f1d-9a11-4d8e-9d43-0b6f3a5252d4' }) tenantId: string;
  @ApiProperty({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' }) stationId: string;
  @ApiProperty({ example: 'CP001' }) chargePointId: string;
  @ApiProperty({ type: String, example: '9d432f1c-6f1d-4d8e-9a11-0b6f3a5252d4', nullable: true })
  actorUserId: string | null;
  @ApiProperty({ type: String, example: null, nullable: true }) actorApiKeyId: string | null;
  @ApiProperty({ example: 'admin' }) actorRole: string;
  @ApiProperty({ example: 'Reset' }) action: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { type: 'Soft' } }) request: Record<
    string,
    unknown
  >;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { status: 'Accepted' },
    nullable: true,
  })
  reply: Record<string, unknown> | null;
  @ApiProperty({
    type: String,
    example: null,
    nullable: true,
    description: 'STATION_OFFLINE, CHARGER_TIMEOUT, ...',
  })
  errorCode: string | null;
  @ApiProperty({ type: String, example: null, nullable: true }) errorMessage: string | null;
  @ApiProperty({
    type: Number,
    example: 42,
    nullable: true,
    description: 'null while the charger has not answered',
  })
  durationMs: number | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) at: string;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryResponse] }) items: AuditEntryResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
