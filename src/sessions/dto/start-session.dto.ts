import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { PAYMENT_STATUSES, PaymentStatus } from '../sessions.tables';
import { IsOmittable } from '../../common/validation';

export class StartSessionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The station; or give chargePointId, or qr' })
  @IsOmittable()
  @IsUUID()
  stationId?: string;

  @ApiPropertyOptional({ example: 'CP001', description: 'The station by its charge point id' })
  @IsOmittable()
  @IsString()
  @Length(1, 48)
  chargePointId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    description: 'Required with stationId or chargePointId',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(99)
  connectorId?: number;

  @ApiPropertyOptional({ example: 'ocpp://CP001?connector=1', description: 'The connector QR code text' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  qr?: string;

  @ApiPropertyOptional({
    example: 'A1B2C3D4E5',
    description: "Defaults to the caller's app idTag; a user may name only its own, an API key must name one",
  })
  @IsOmittable()
  @IsString()
  @Length(1, 20)
  idTag?: string;
}

export class UpdateSessionDto {
  @ApiProperty({ enum: PAYMENT_STATUSES, example: 'paid' })
  @IsIn(PAYMENT_STATUSES)
  paymentStatus: PaymentStatus;
}

/** The seed app's body: `{ "evse_id": "CP001", "connector_id": 1 }`. */
export class SeedChargingDto {
  @ApiProperty({ example: 'CP001', description: 'The charge point id' })
  @IsString()
  @Length(1, 48)
  evse_id: string;

  @ApiProperty({ type: 'integer', example: 1 })
  @IsInt()
  @Min(1)
  @Max(99)
  connector_id: number;
}

export class SeedChargingResponse {
  @ApiProperty({ enum: ['Accepted', 'Rejected'], example: 'Accepted', description: "The charger's reply" })
  status: 'Accepted' | 'Rejected';
}
