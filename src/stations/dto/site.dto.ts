import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import type { OpeningHours } from '../site-rules';
import { IsIanaTimeZone } from './validators';
import { IsOmittable } from '../../common/validation';

// Coordinates come as a pair; both null clears them.
const hasCoordinates = (o: { latitude?: number | null; longitude?: number | null }) =>
  o.latitude != null || o.longitude != null;

const OPENING_HOURS_EXAMPLE = { mon: [['07:00', '22:00']], sat: [['09:00', '13:00']] };

export class CreateSiteDto {
  @ApiProperty({ example: 'Hauptbahnhof P2', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'Invalidenstraße 10', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  street?: string | null;

  @ApiPropertyOptional({ example: 'Berlin', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string | null;

  @ApiPropertyOptional({ example: '10557', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string | null;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2', nullable: true })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country?: string | null;

  @ApiPropertyOptional({ example: 52.5251, minimum: -90, maximum: 90, nullable: true })
  @ValidateIf(hasCoordinates)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'latitude must be a number, given with longitude' },
  )
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ example: 13.3694, minimum: -180, maximum: 180, nullable: true })
  @ValidateIf(hasCoordinates)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'longitude must be a number, given with latitude' },
  )
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    default: 'UTC',
    description: 'IANA time zone; time-of-use windows of tariffs follow it',
  })
  @IsOmittable()
  @IsIanaTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({
    example: OPENING_HOURS_EXAMPLE,
    nullable: true,
    description:
      'Local ["HH:MM","HH:MM"] ranges per weekday (mon..sun); a missing day is closed; null = always open',
  })
  @IsOptional()
  @IsObject()
  openingHours?: OpeningHours | null;

  @ApiPropertyOptional({ description: 'Root only: the tenant that owns the site', format: 'uuid' })
  @IsOmittable()
  @IsUUID()
  tenantId?: string;
}

export class UpdateSiteDto extends PartialType(OmitType(CreateSiteDto, ['tenantId'] as const)) {}

export class SiteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'Hauptbahnhof P2' }) name: string;
  @ApiProperty({ example: 'Invalidenstraße 10', nullable: true, type: String }) street: string | null;
  @ApiProperty({ example: 'Berlin', nullable: true, type: String }) city: string | null;
  @ApiProperty({ example: '10557', nullable: true, type: String }) postalCode: string | null;
  @ApiProperty({ example: 'DE', nullable: true, type: String }) country: string | null;
  @ApiProperty({ example: 52.5251, nullable: true, type: Number }) latitude: number | null;
  @ApiProperty({ example: 13.3694, nullable: true, type: Number }) longitude: number | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty({ example: OPENING_HOURS_EXAMPLE, nullable: true, type: Object })
  openingHours: OpeningHours | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
}

export class SitePage {
  @ApiProperty({ type: [SiteResponse] }) items: SiteResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor: string | null;
}

export class SiteQueryDto extends PageQueryDto {}
