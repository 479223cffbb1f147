import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import type { TenantRow } from '../tenants.tables';
import { IsOmittable } from '../../common/validation';

const TENANT_STATUSES = ['active', 'disabled'] as const;

export class CreateTenantDto {
  @ApiProperty({ example: 'Voltway Charging' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'voltway', description: '2-63 characters of a-z, 0-9 and -; unique' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'slug must be 2-63 characters of a-z, 0-9 and -' })
  slug: string;

  @ApiPropertyOptional({ example: false, description: 'Unknown chargers that connect are created pending' })
  @IsOmittable()
  @IsBoolean()
  allowAutoRegistration?: boolean;

  @ApiPropertyOptional({ example: false })
  @IsOmittable()
  @IsBoolean()
  allowUserReservations?: boolean;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ example: 'Voltway Charging Ltd' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    enum: TENANT_STATUSES,
    example: 'disabled',
    description: 'A disabled tenant’s accounts cannot log in and its API keys stop working',
  })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  allowAutoRegistration?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  allowUserReservations?: boolean;
}

export class ListTenantsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: TENANT_STATUSES, example: 'active' })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: 'active' | 'disabled';
}

export class TenantResponse {
  @ApiProperty({ example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' }) id: string;
  @ApiProperty({ example: 'voltway' }) slug: string;
  @ApiProperty({ example: 'Voltway Charging' }) name: string;
  @ApiProperty({ enum: TENANT_STATUSES, example: 'active' }) status: 'active' | 'disabled';
  @ApiProperty({ example: false }) allowAutoRegistration: boolean;
  @ApiProperty({ example: false }) allowUserReservations: boolean;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: Date;

  static of(t: TenantRow): TenantResponse {
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      status: t.status,
      allowAutoRegistration: t.allowAutoRegistration,
      allowUserReservations: t.allowUserReservations,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }
}

export class TenantPageResponse {
  @ApiProperty({ type: [TenantResponse] }) items: TenantResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
