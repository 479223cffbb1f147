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
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { INT32_MAX, IsDecimal, IsInDateRange, IsOmittable } from '../../common/validation';

export const PROFILE_PURPOSES = ['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'] as const;
export const PROFILE_KINDS = ['Absolute', 'Recurring', 'Relative'] as const;
export const RATE_UNITS = ['W', 'A'] as const;

/** A session's transactionId as the API shows it: 1.6's integer, or a 2.0.1 charger's string (≤ 36). */
const IsTransactionId = () =>
  ValidateBy({
    name: 'isTransactionId',
    validator: {
      validate: (v: unknown) =>
        (typeof v === 'number' && Number.isInteger(v) && v >= -INT32_MAX - 1 && v <= INT32_MAX) ||
        (typeof v === 'string' && v.length >= 1 && v.length <= 36),
      defaultMessage: () => 'transactionId must be a 32-bit integer or a string of 1 to 36 characters',
    },
  });

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

  @ApiProperty({
    type: [ChargingSchedulePeriodDto],
    minItems: 1,
    maxItems: 1024,
    description: '1 to 1024 periods (OCPP 2.0.1 allows 1024; a 1.6 station, 100)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1024)
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
    oneOf: [
      { type: 'integer', format: 'int32' },
      { type: 'string', minLength: 1, maxLength: 36 },
    ],
    example: 42,
    description:
      "Only in a TxProfile: the session's `transactionId` as the API shows it — an integer on an OCPP " +
      "1.6 station (without it the profile limits the connector's running transaction), the charger's " +
      'string id on an OCPP 2.0.1 station (required there)',
  })
  @IsOmittable()
  @IsTransactionId()
  transactionId?: number | string;

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
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: '0 = the whole station; on an OCPP 2.0.1 station connector n is EVSE n',
  })
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
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: '0 = the whole station; on an OCPP 2.0.1 station connector n is EVSE n',
  })
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

/** Why a 2.0.1 station answered as it did, when it says. */
export class StatusInfoResponse {
  @ApiProperty({ example: 'InvalidSchedule' }) reasonCode: string;
  @ApiPropertyOptional({ example: 'stack level taken' }) additionalInfo?: string;
}

/** A smart charging command's reply: the charger's status, and on 2.0.1 its statusInfo if it gave one. */
export class ChargingCommandResponse {
  @ApiProperty({
    example: 'Accepted',
    description:
      "The charger's status: Accepted or Rejected (SetChargingProfile), Accepted or Unknown (Clear…)",
  })
  status: string;
  @ApiPropertyOptional({
    type: StatusInfoResponse,
    description: 'OCPP 2.0.1 only, when the station gives it',
  })
  statusInfo?: StatusInfoResponse;
}

export class CompositeScheduleResponse {
  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'Rejected'] }) status: string;
  @ApiPropertyOptional({
    type: StatusInfoResponse,
    description: 'OCPP 2.0.1 only, when the station gives it',
  })
  statusInfo?: StatusInfoResponse;
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

/** OCPP 2.0.1's purposes, as a station reports them. */
export const PROFILE_PURPOSES_201 = [
  'ChargingStationExternalConstraints',
  'ChargingStationMaxProfile',
  'TxDefaultProfile',
  'TxProfile',
] as const;

export class ChargingProfilesQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    description: 'Only the profiles of this EVSE (0: those of the station as a whole); omit for all',
  })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  evseId?: number;

  @ApiPropertyOptional({ enum: PROFILE_PURPOSES_201, example: 'TxDefaultProfile' })
  @IsOmittable()
  @IsIn(PROFILE_PURPOSES_201)
  purpose?: (typeof PROFILE_PURPOSES_201)[number];

  @ApiPropertyOptional({ type: 'integer', example: 0, minimum: 0 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  stackLevel?: number;
}

export class ReportedChargingProfileResponse {
  @ApiProperty({ type: 'integer', example: 1, description: 'The EVSE it is installed on; 0 = the station' })
  evseId: number;

  @ApiProperty({ enum: ['EMS', 'Other', 'SO', 'CSO'], example: 'CSO', description: 'Who set it' })
  chargingLimitSource: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The profile as the station reports it, in OCPP 2.0.1 shape (ChargingProfileType)',
    example: {
      id: 101,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 101,
          startSchedule: '2026-11-22T18:00:00.000Z',
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
        },
      ],
    },
  })
  chargingProfile: Record<string, unknown>;
}

export class ChargingProfilesResponse {
  @ApiProperty({
    enum: ['Accepted', 'NoProfiles'],
    example: 'Accepted',
    description: "The station's answer to GetChargingProfiles; NoProfiles comes with an empty list",
  })
  status: string;

  @ApiPropertyOptional({ type: StatusInfoResponse }) statusInfo?: StatusInfoResponse;

  @ApiProperty({ type: [ReportedChargingProfileResponse] }) profiles: ReportedChargingProfileResponse[];
}
