import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { ApiKeyScope } from '../../common/actor';
import { PageQueryDto } from '../../common/pagination';
import { API_KEY_SCOPES, ApiKeyRow } from '../auth.tables';
import { IsInDateRange, IsOmittable } from '../../common/validation';

export const SCOPE_HELP =
  '`read`: GET routes open to role user; `charge`: start/stop charging sessions; `admin`: every admin route of the tenant (includes read and charge). A key never acts as root and cannot manage API keys, tenants or accounts’ own credentials.';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Mobile app backend' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['read', 'charge'], description: SCOPE_HELP })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes: ApiKeyScope[];

  @ApiPropertyOptional({
    example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c',
    description: 'Root only: the tenant the key acts for',
  })
  @IsOmittable()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({
    example: '2027-12-31T23:59:59.000Z',
    description: 'The key stops working at this time',
  })
  @IsOmittable()
  @Type(() => Date)
  @IsDate()
  @IsInDateRange()
  expiresAt?: Date;
}

export class ListApiKeysQuery extends PageQueryDto {
  @ApiPropertyOptional({
    example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c',
    description: 'Root only: one tenant',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class ApiKeyResponse {
  @ApiProperty({
    example: 'c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f',
    description: 'keyId for POST /api/v1/auth/token',
  })
  id: string;
  @ApiProperty({ example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' }) tenantId: string;
  @ApiProperty({ example: 'Mobile app backend' }) name: string;
  @ApiProperty({ example: 'k3m9p2xq7r4t', description: 'The visible part of the key: kw_<prefix>_…' })
  prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['read', 'charge'] }) scopes: ApiKeyScope[];
  @ApiProperty({ example: null, nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({
    example: '2026-11-22T10:05:00.000Z',
    nullable: true,
    type: Date,
    description: 'Updated at most once a minute',
  })
  lastUsedAt: Date | null;
  @ApiProperty({ example: null, nullable: true, type: Date }) revokedAt: Date | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: Date;

  static of(k: ApiKeyRow): ApiKeyResponse {
    return {
      id: k.id,
      tenantId: k.tenantId,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      expiresAt: k.expiresAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
      createdAt: k.createdAt,
    };
  }
}

export class IssuedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({
    example: 'kw_k3m9p2xq7r4t_8Jx0b0cXy3o2QeVvGmHkz1qW6nYtR5uLsPdA9fE7iKc',
    description: 'Send as `X-API-Key`. Shown once: only a hash is kept.',
  })
  key: string;
  @ApiProperty({
    example: '8Jx0b0cXy3o2QeVvGmHkz1qW6nYtR5uLsPdA9fE7iKc',
    description: 'The secret alone, for POST /api/v1/auth/token with `keyId`. Shown once.',
  })
  secret: string;
}

export class ApiKeyPageResponse {
  @ApiProperty({ type: [ApiKeyResponse] }) items: ApiKeyResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
