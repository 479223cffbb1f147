import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import type { IdTagRow } from '../users.tables';
import { IsInDateRange, IsOmittable } from '../../common/validation';

// OCPP 1.6 IdToken is CiString20Type: printable ASCII, at most 20 characters.
const ID_TAG = /^[\x21-\x7e]{1,20}$/;
const ID_TAG_MESSAGE = 'must be 1-20 printable ASCII characters without spaces (OCPP IdToken)';
const ID_TAG_STATUSES = ['active', 'blocked'] as const;

export class CreateIdTagDto {
  @ApiProperty({ example: '04A2B3C4D5E6F7', description: 'RFID UID or card number; unique in the tenant' })
  @IsString()
  @Matches(ID_TAG, { message: `idTag ${ID_TAG_MESSAGE}` })
  idTag: string;

  @ApiPropertyOptional({
    example: '0b8f5a4e-2f0c-4c69-8a7e-1c2d3e4f5a6b',
    description:
      'Admin: the account the tag belongs to (none: a tag of the tenant, e.g. a fleet vehicle). A user always adds to itself.',
  })
  @IsOmittable()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ example: '2027-12-31T23:59:59.000Z', description: 'Admin only' })
  @IsOmittable()
  @Type(() => Date)
  @IsDate()
  @IsInDateRange()
  expiresAt?: Date;

  @ApiPropertyOptional({
    example: 'FLEET-01',
    description: 'Admin only: an idTag of the same tenant that groups this one',
  })
  @IsOmittable()
  @IsString()
  @Matches(ID_TAG, { message: `parentIdTag ${ID_TAG_MESSAGE}` })
  parentIdTag?: string;

  @ApiPropertyOptional({ example: 'Blue Zoe' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  vehicleLabel?: string;

  @ApiPropertyOptional({ example: 'AB-123-CD' })
  @IsOmittable()
  @IsString()
  @MaxLength(20)
  vehiclePlate?: string;
}

export class UpdateIdTagDto {
  @ApiPropertyOptional({
    enum: ID_TAG_STATUSES,
    example: 'blocked',
    description: 'A user may block its own tag; only an admin unblocks',
  })
  @IsOptional()
  @IsIn(ID_TAG_STATUSES)
  status?: 'active' | 'blocked';

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2027-12-31T23:59:59.000Z',
    nullable: true,
    description: 'Admin only; null clears',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @IsInDateRange()
  expiresAt?: Date | null;

  @ApiPropertyOptional({
    type: String,
    example: 'FLEET-01',
    nullable: true,
    description: 'Admin only; null clears',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_TAG, { message: `parentIdTag ${ID_TAG_MESSAGE}` })
  parentIdTag?: string | null;

  @ApiPropertyOptional({ type: String, example: 'Blue Zoe', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  vehicleLabel?: string | null;

  @ApiPropertyOptional({ type: String, example: 'AB-123-CD', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  vehiclePlate?: string | null;
}

export class ListIdTagsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: '0b8f5a4e-2f0c-4c69-8a7e-1c2d3e4f5a6b', description: 'Admin: one account' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class IdTagResponse {
  @ApiProperty({ example: '6a1d3c5e-7f90-4b2a-8c4d-5e6f7a8b9c0d' }) id: string;
  @ApiProperty({ example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' }) tenantId: string;
  @ApiProperty({ example: '0b8f5a4e-2f0c-4c69-8a7e-1c2d3e4f5a6b', nullable: true, type: String })
  userId: string | null;
  @ApiProperty({ example: '04A2B3C4D5E6F7' }) idTag: string;
  @ApiProperty({ enum: ['app', 'rfid'], example: 'rfid' }) kind: 'app' | 'rfid';
  @ApiProperty({ enum: ID_TAG_STATUSES, example: 'active' }) status: 'active' | 'blocked';
  @ApiProperty({ example: null, nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({ example: 'FLEET-01', nullable: true, type: String }) parentIdTag: string | null;
  @ApiProperty({ example: 'Blue Zoe', nullable: true, type: String }) vehicleLabel: string | null;
  @ApiProperty({ example: 'AB-123-CD', nullable: true, type: String }) vehiclePlate: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: Date;

  static of(r: IdTagRow): IdTagResponse {
    return {
      id: r.id,
      tenantId: r.tenantId,
      userId: r.userId,
      idTag: r.idTag,
      kind: r.kind,
      status: r.status,
      expiresAt: r.expiresAt,
      parentIdTag: r.parentIdTag,
      vehicleLabel: r.vehicleLabel,
      vehiclePlate: r.vehiclePlate,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }
}

export class IdTagPageResponse {
  @ApiProperty({ type: [IdTagResponse] }) items: IdTagResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
