import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { INT32_MAX, IsDecimal, IsInDateRange, IsOmittable } from '../../common/validation';

export const PROFILE_PURPOSES = ['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'] as const;
export const PROFILE_KINDS = ['Absolute', 'Recurring', 'Relative'] as const;
export const RATE_UNITS = ['W', 'A'] as const;

export class ChargingSchedulePeriodDto {
  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'Seconds from the start of the schedule; the first is 0',
  })
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  startPeriod: number;

  @ApiProperty({ example: 16, description: 'In chargingRateUnit (W or A); 0 pauses charging' })
  @IsDecimal(1)
  limit: number;

  @ApiPropertyOptional({ type: 'integer', example: 3, minimum: 1, maximum: 3 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3)
  numberPhases?: number;
}

export class ChargingScheduleDto {
  @ApiPropertyOptional({ type: 'integer', example: 3600, description: 'Seconds; omit for no end' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  duration?: number;

  @ApiPropertyOptional({ example: '2026-11-22T18:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  startSchedule?: string;

  @ApiProperty({ enum: RATE_UNITS, example: 'A' })
  @IsIn(RATE_UNITS)
  chargingRateUnit: (typeof RATE_UNITS)[number];

  @ApiProperty({ type: [ChargingSchedulePeriodDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ChargingSchedulePeriodDto)
  chargingSchedulePeriod: ChargingSchedulePeriodDto[];

  @ApiPropertyOptional({ example: 6 })
  @IsOmittable()
  @IsDecimal(1)
  @Min(0)
  minChargingRate?: number;
}

export class ChargingProfileDto {
  @ApiProperty({ type: 'integer', example: 101 })
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  chargingProfileId: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 42,
    description: "Only in a TxProfile; without it the profile limits the connector's running transaction",
  })
  @IsOmittable()
  @IsInt()
  @Min(-INT32_MAX - 1)
  @Max(INT32_MAX)
  transactionId?: number;

  @ApiProperty({ type: 'integer', example: 0, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(100)
  stackLevel: number;

  @ApiProperty({ enum: PROFILE_PURPOSES, example: 'TxDefaultProfile' })
  @IsIn(PROFILE_PURPOSES)
  chargingProfilePurpose: (typeof PROFILE_PURPOSES)[number];

  @ApiProperty({ enum: PROFILE_KINDS, example: 'Absolute' })
  @IsIn(PROFILE_KINDS)
  chargingProfileKind: (typeof PROFILE_KINDS)[number];

  @ApiPropertyOptional({ enum: ['Daily', 'Weekly'], description: 'Required for a Recurring profile' })
  @IsOmittable()
  @IsIn(['Daily', 'Weekly'])
  recurrencyKind?: 'Daily' | 'Weekly';

  @ApiPropertyOptional({ example: '2026-11-22T00:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  validFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-22T00:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  validTo?: string;

  @ApiProperty({ type: ChargingScheduleDto })
  @ValidateNested()
  @Type(() => ChargingScheduleDto)
  chargingSchedule: ChargingScheduleDto;
}

export class SetChargingProfileDto {
  @ApiProperty({ type: 'integer', example: 1, description: '0 = the whole station' })
  @IsInt()
  @Min(0)
  @Max(1000)
  connectorId: number;

  @ApiProperty({ type: ChargingProfileDto })
  @ValidateNested()
  @Type(() => ChargingProfileDto)
  csChargingProfiles: ChargingProfileDto;
}

export class ClearChargingProfileDto {
  @ApiPropertyOptional({
    type: 'integer',
    example: 101,
    description: 'Clear this profile only; other filters are then ignored',
  })
  @IsOmittable()
  @IsInt()
  @Min(-INT32_MAX - 1)
  @Max(INT32_MAX)
  id?: number;

  @ApiPropertyOptional({ type: 'integer', example: 1 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  connectorId?: number;

  @ApiPropertyOptional({ enum: PROFILE_PURPOSES, example: 'TxDefaultProfile' })
  @IsOmittable()
  @IsIn(PROFILE_PURPOSES)
  chargingProfilePurpose?: (typeof PROFILE_PURPOSES)[number];

  @ApiPropertyOptional({ type: 'integer', example: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  stackLevel?: number;
}

export class GetCompositeScheduleDto {
  @ApiProperty({ type: 'integer', example: 1, description: '0 = the whole station' })
  @IsInt()
  @Min(0)
  @Max(1000)
  connectorId: number;

  @ApiProperty({ type: 'integer', example: 3600, description: 'Seconds' })
  @IsInt()
  @Min(1)
  @Max(604800)
  duration: number;

  @ApiPropertyOptional({ enum: RATE_UNITS, example: 'W' })
  @IsOmittable()
  @IsIn(RATE_UNITS)
  chargingRateUnit?: (typeof RATE_UNITS)[number];
}

export class CompositeScheduleResponse {
  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'Rejected'] }) status: string;
  @ApiPropertyOptional({ type: 'integer', example: 1 }) connectorId?: number;
  @ApiPropertyOptional({ example: '2026-11-22T10:00:00.000Z' }) scheduleStart?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: {
      duration: 3600,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
    },
  })
  chargingSchedule?: Record<string, unknown>;
}
