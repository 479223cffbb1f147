import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { INT32_MAX, IsDecimal, IsInDateRange, IsOmittable } from '../../common/validation';
import { PROFILE_KINDS, PROFILE_PURPOSES_201, RATE_UNITS } from './charging-profile.dto';

/** OCPP 2.0.1 ChargingSchedulePeriodType. */
export class ChargingSchedulePeriod201Dto {
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

  @ApiPropertyOptional({ type: 'integer', example: 3, minimum: 0, maximum: 3 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(3)
  numberPhases?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    minimum: 1,
    maximum: 3,
    description: 'With numberPhases 1',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3)
  phaseToUse?: number;
}

/** OCPP 2.0.1 ChargingScheduleType. */
export class ChargingSchedule201Dto {
  @ApiProperty({ type: 'integer', example: 1 })
  @IsInt()
  @Min(-INT32_MAX - 1)
  @Max(INT32_MAX)
  id: number;

  @ApiPropertyOptional({ example: '2026-11-22T18:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  startSchedule?: string;

  @ApiPropertyOptional({ type: 'integer', example: 3600, description: 'Seconds; omit for no end' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  duration?: number;

  @ApiProperty({ enum: RATE_UNITS, example: 'A' })
  @IsIn(RATE_UNITS)
  chargingRateUnit: (typeof RATE_UNITS)[number];

  @ApiProperty({ type: [ChargingSchedulePeriod201Dto], minItems: 1, maxItems: 1024 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1024)
  @ValidateNested({ each: true })
  @Type(() => ChargingSchedulePeriod201Dto)
  chargingSchedulePeriod: ChargingSchedulePeriod201Dto[];

  @ApiPropertyOptional({ example: 6 })
  @IsOmittable()
  @IsDecimal(1)
  @Min(0)
  minChargingRate?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'An ISO 15118 SalesTariffType, passed on as given (checked against the OCPP 2.0.1 schema)',
    example: { id: 1, salesTariffEntry: [{ relativeTimeInterval: { start: 0 }, ePriceLevel: 1 }] },
  })
  @IsOmittable()
  @IsObject()
  salesTariff?: Record<string, unknown>;
}

/** OCPP 2.0.1 ChargingProfileType, as a CSMS sets it. */
export class ChargingProfile201Dto {
  @ApiProperty({ type: 'integer', example: 101 })
  @IsInt()
  @Min(-INT32_MAX - 1)
  @Max(INT32_MAX)
  id: number;

  @ApiProperty({ type: 'integer', example: 0, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  stackLevel: number;

  @ApiProperty({
    enum: PROFILE_PURPOSES_201,
    example: 'TxDefaultProfile',
    description: 'ChargingStationExternalConstraints is the station’s own: refused here',
  })
  @IsIn(PROFILE_PURPOSES_201)
  chargingProfilePurpose: (typeof PROFILE_PURPOSES_201)[number];

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

  @ApiPropertyOptional({
    example: '6a0f4c1e-1b7d-4f5e-9a52-0c8e3f2d7b19',
    description:
      "Only in a TxProfile, where it is required: the session's transactionId (the charger's string id)",
  })
  @IsOmittable()
  @IsString()
  @Length(1, 36)
  transactionId?: string;

  @ApiProperty({ type: [ChargingSchedule201Dto], minItems: 1, maxItems: 3 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => ChargingSchedule201Dto)
  chargingSchedule: ChargingSchedule201Dto[];
}

/** SetChargingProfileRequest as OCPP 2.0.1 spells it: for 2.0.1 stations only. */
export class SetChargingProfile201Dto {
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: '0 = the whole station (ChargingStationMaxProfile; a TxDefaultProfile for every EVSE)',
  })
  @IsInt()
  @Min(0)
  @Max(1000)
  evseId: number;

  @ApiProperty({ type: ChargingProfile201Dto })
  @IsObject()
  @ValidateNested()
  @Type(() => ChargingProfile201Dto)
  chargingProfile: ChargingProfile201Dto;
}
