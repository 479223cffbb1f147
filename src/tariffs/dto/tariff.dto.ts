import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsDecimal, IsInDateRange, IsOmittable } from '../../common/validation';

const MAX_MINOR = 100_000_000;
const notNull = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined && o[key] !== null;

export class TimeOfUseWindowDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: 7 },
    example: [1, 2, 3, 4, 5],
    description: 'ISO weekdays (1 = Monday) on which the window starts',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days: number[];

  @ApiProperty({ example: '22:00', description: "Local start 'HH:MM' in the site's time zone" })
  @Matches(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, {
    message: 'start must be a local time HH:MM from 00:00 to 23:59',
  })
  start: string;

  @ApiProperty({
    example: '06:00',
    description: "Local end 'HH:MM' (24:00 allowed); end <= start crosses midnight",
  })
  @Matches(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, {
    message: 'end must be a local time HH:MM from 00:00 to 24:00',
  })
  end: string;

  @ApiProperty({
    type: 'integer',
    example: 25,
    description: 'Energy price inside the window, minor units per kWh',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  energyPerKwhMinor: number;
}

export class CreateTariffDto {
  @ApiProperty({ example: 'Standard AC' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of 3 capital letters' })
  currency: string;

  @ApiProperty({ type: 'integer', example: 35, description: 'Minor units per kWh' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  energyPerKwhMinor: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 0,
    default: 0,
    description: 'Minor units per hour plugged in',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  timePerHourMinor?: number;

  @ApiPropertyOptional({ type: 'integer', example: 100, default: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  sessionFeeMinor?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 10,
    default: 0,
    description: 'Per minute plugged in after charging ended, past the grace',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  idleFeePerMinuteMinor?: number;

  @ApiPropertyOptional({ type: 'integer', example: 30, default: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(10_080)
  idleGraceMinutes?: number;

  @ApiPropertyOptional({
    type: [TimeOfUseWindowDto],
    default: [],
    description: 'The first matching window wins',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(48)
  @ValidateNested({ each: true })
  @Type(() => TimeOfUseWindowDto)
  timeOfUse?: TimeOfUseWindowDto[];

  @ApiPropertyOptional({ example: 19, default: 0, description: '0-100, at most 4 decimals' })
  @IsOmittable()
  @IsDecimal(4)
  @Min(0)
  @Max(100)
  taxRatePercent?: number;

  @ApiPropertyOptional({ example: true, default: false })
  @IsOmittable()
  @IsBoolean()
  pricesIncludeTax?: boolean;

  @ApiPropertyOptional({ type: 'integer', example: 200, nullable: true })
  @ValidateIf(notNull('minSessionMinor'))
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  minSessionMinor?: number | null;

  @ApiPropertyOptional({ type: 'integer', example: 5000, nullable: true })
  @ValidateIf(notNull('maxSessionMinor'))
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  maxSessionMinor?: number | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Assign to one station (most specific)',
  })
  @ValidateIf(notNull('stationId'))
  @IsUUID()
  stationId?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Assign to a site; neither = tenant default',
  })
  @ValidateIf(notNull('siteId'))
  @IsUUID()
  siteId?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: '2026-12-01T00:00:00Z',
    nullable: true,
    description: 'In force from (inclusive)',
  })
  @ValidateIf(notNull('validFrom'))
  @IsDateString({ strict: true })
  @IsInDateRange()
  validFrom?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: null,
    nullable: true,
    description: 'In force until (exclusive)',
  })
  @ValidateIf(notNull('validUntil'))
  @IsDateString({ strict: true })
  @IsInDateRange()
  validUntil?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Root only, for a tenant default: the owning tenant' })
  @IsOmittable()
  @IsUUID()
  tenantId?: string;
}

export class TariffQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only tariffs assigned to this station' })
  @IsOptional()
  @IsUUID()
  stationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only tariffs assigned to this site' })
  @IsOptional()
  @IsUUID()
  siteId?: string;
}
