import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { SECURITY_EVENT_TYPES, SecurityEventRow, SecurityEventType } from './security-events.tables';
import { IsInDateRange } from '../../common/validation';

export class SecurityEventQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SECURITY_EVENT_TYPES, example: 'login_failed' })
  @IsOptional()
  @IsIn(SECURITY_EVENT_TYPES)
  type?: SecurityEventType;

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

  @ApiPropertyOptional({
    example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c',
    description: 'Root only: one tenant',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class SecurityEventResponse {
  @ApiProperty({ example: '6a0b1c9e-2f43-4f0f-9b8e-2b9f1f0f6c11' }) id: string;
  @ApiProperty({
    example: '2f1c6f1d-9a11-4d8e-9d43-0b6f3a5252d4',
    nullable: true,
    type: String,
    description: 'null for failed logins of unknown accounts (root only)',
  })
  tenantId: string | null;
  @ApiProperty({ enum: SECURITY_EVENT_TYPES, example: 'signature_failed' }) type: SecurityEventType;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'The account concerned or acting',
  })
  userId: string | null;
  @ApiProperty({ example: 'c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f', nullable: true, type: String })
  apiKeyId: string | null;
  @ApiProperty({ example: '203.0.113.7', nullable: true, type: String }) ip: string | null;
  @ApiProperty({ example: 'partner-backend/2.1', nullable: true, type: String }) userAgent: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { code: 'SIGNATURE_INVALID', method: 'POST', path: '/api/v1/sites' },
    description: 'Event specifics; never secrets or passwords',
  })
  details: Record<string, unknown>;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) at: string;

  static of(r: SecurityEventRow): SecurityEventResponse {
    return {
      id: r.id,
      tenantId: r.tenantId,
      type: r.type,
      userId: r.userId,
      apiKeyId: r.apiKeyId,
      ip: r.ip,
      userAgent: r.userAgent,
      details: r.details,
      at: r.at.toISOString(),
    };
  }
}

export class SecurityEventPage {
  @ApiProperty({ type: [SecurityEventResponse] }) items: SecurityEventResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
