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
import { type OpeningHours, WEEKDAYS } from '../site-rules';
import { IsIanaTimeZone } from './validators';
import { IsOmittable } from '../../common/validation';

// Coordinates come as a pair; both null clears them.
const hasCoordinates = (o: { latitude?: number | null; longitude?: number | null }) =>
  o.latitude != null || o.longitude != null;

const OPENING_HOURS_EXAMPLE = { mon: [['07:00', '22:00']], sat: [['09:00', '13:00']] };

/** Opening hours as OpenAPI sees them: per weekday, a list of [from, to] "HH:MM" pairs. */
const OPENING_HOURS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: false,
  properties: Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      {
        type: 'array' as const,
        items: {
          type: 'array' as const,
          items: { type: 'string' as const, pattern: '^\\d{2}:\\d{2}$' },
          minItems: 2,
          maxItems: 2,
        },
      },
    ]),
  ),
};

export class CreateSiteDto {
  @ApiProperty({ example: 'Hauptbahnhof P2', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ type: String, example: 'Invalidenstraße 10', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  street?: string | null;

  @ApiPropertyOptional({ type: String, example: 'Berlin', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string | null;

  @ApiPropertyOptional({ type: String, example: '10557', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string | null;

  @ApiPropertyOptional({ type: String, example: 'DE', description: 'ISO 3166-1 alpha-2', nullable: true })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country?: string | null;

  @ApiPropertyOptional({ type: Number, example: 52.5251, minimum: -90, maximum: 90, nullable: true })
  @ValidateIf(hasCoordinates)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'latitude must be a number, given with longitude' },
  )
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ type: Number, example: 13.3694, minimum: -180, maximum: 180, nullable: true })
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
    ...OPENING_HOURS_SCHEMA,
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
  @ApiProperty({ ...OPENING_HOURS_SCHEMA, example: OPENING_HOURS_EXAMPLE, nullable: true })
  openingHours: OpeningHours | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
}

export class SitePage {
  @ApiProperty({ type: [SiteResponse] }) items: SiteResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor: string | null;
}

export class SiteQueryDto extends PageQueryDto {}
