import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { RESERVATION_STATUSES } from '../commands.tables';
import { INT32_MAX, IsInDateRange, IsOmittable } from '../../common/validation';

export class ReserveNowDto {
  @ApiProperty({
    type: 'integer',
    example: 1,
    minimum: 0,
    description:
      '0 reserves any connector of the station (OCPP 1.6 5.13), for chargers with ReserveConnectorZeroSupported; others answer Rejected',
  })
  @IsInt()
  @Min(0)
  @Max(1000)
  connectorId: number;

  @ApiProperty({ example: '2026-11-22T11:00:00Z', description: 'When the reservation ends' })
  @IsDateString()
  @IsInDateRange()
  expiryDate: string;

  @ApiProperty({ example: 'A1B2C3D4E5F6', maxLength: 20 })
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  idTag: string;

  @ApiPropertyOptional({ example: 'FLEET-42', maxLength: 20 })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  parentIdTag?: string;
}

export class CancelReservationDto {
  @ApiProperty({ type: 'integer', example: 17, description: 'The reservationId ReserveNow answered with' })
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  reservationId: number;
}

export class CreateReservationDto {
  @ApiProperty({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' })
  @IsUUID()
  stationId: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  connectorId: number;

  @ApiPropertyOptional({ type: 'integer', example: 15, minimum: 1, maximum: 120, default: 15 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(120)
  durationMinutes?: number;
}

export class ReservationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' })
  @IsOptional()
  @IsUUID()
  stationId?: string;

  @ApiPropertyOptional({ enum: RESERVATION_STATUSES, example: 'active' })
  @IsOptional()
  @IsIn(RESERVATION_STATUSES)
  status?: (typeof RESERVATION_STATUSES)[number];
}

export class ReserveNowResponse {
  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'Faulted', 'Occupied', 'Rejected', 'Unavailable'] })
  status: string;
  @ApiProperty({ type: 'integer', example: 17 }) reservationId: number;
  @ApiProperty({ example: '4e1f0c9a-8b7d-4c2e-9f3a-1d2b3c4d5e6f' }) id: string;
}

export class ReservationResponse {
  @ApiProperty({ example: '4e1f0c9a-8b7d-4c2e-9f3a-1d2b3c4d5e6f' }) id: string;
  @ApiProperty({ type: 'integer', example: 17 }) reservationId: number;
  @ApiProperty({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' }) stationId: string;
  @ApiProperty({ type: 'integer', example: 1 }) connectorId: number;
  @ApiProperty({ example: 'A1B2C3D4E5F6' }) idTag: string;
  @ApiProperty({ example: null, nullable: true, type: String }) userId: string | null;
  @ApiProperty({ example: '2026-11-22T11:00:00.000Z' }) expiresAt: string;
  @ApiProperty({ enum: RESERVATION_STATUSES, example: 'active' }) status: string;
  @ApiProperty({
    example: 'Accepted',
    nullable: true,
    type: String,
    description: "The charger's ReserveNow status",
  })
  chargerStatus: string | null;
  @ApiProperty({ example: '2026-11-22T10:45:00.000Z' }) createdAt: string;
}

export class ReservationPage {
  @ApiProperty({ type: [ReservationResponse] }) items: ReservationResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
