import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '../../common/validation';

export class ResetDto {
  @ApiProperty({ enum: ['Hard', 'Soft'], example: 'Soft' })
  @IsIn(['Hard', 'Soft'])
  type: 'Hard' | 'Soft';
}

export class UnlockConnectorDto {
  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  connectorId: number;
}

export class ChangeAvailabilityDto {
  @ApiProperty({ type: 'integer', example: 0, minimum: 0, description: '0 = the whole station' })
  @IsInt()
  @Min(0)
  @Max(1000)
  connectorId: number;

  @ApiProperty({ enum: ['Inoperative', 'Operative'], example: 'Inoperative' })
  @IsIn(['Inoperative', 'Operative'])
  type: 'Inoperative' | 'Operative';
}

export class GetConfigurationDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['HeartbeatInterval', 'MeterValueSampleInterval'],
    description: 'Keys to read; omit for every key',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  key?: string[];
}

export class ChangeConfigurationDto {
  @ApiProperty({ example: 'HeartbeatInterval', maxLength: 50 })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  key: string;

  @ApiProperty({ example: '120', maxLength: 500 })
  @IsString()
  @MaxLength(500)
  value: string;
}

export const TRIGGERABLE_MESSAGES = [
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
] as const;

export class TriggerMessageDto {
  @ApiProperty({ enum: TRIGGERABLE_MESSAGES, example: 'StatusNotification' })
  @IsIn(TRIGGERABLE_MESSAGES)
  requestedMessage: (typeof TRIGGERABLE_MESSAGES)[number];

  @ApiPropertyOptional({ type: 'integer', example: 1, minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  connectorId?: number;
}

export class DataTransferDto {
  @ApiProperty({ example: 'com.example.vendor', maxLength: 255 })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  vendorId: string;

  @ApiPropertyOptional({ example: 'SetLedColour', maxLength: 50 })
  @IsOmittable()
  @IsString()
  @MaxLength(50)
  messageId?: string;

  @ApiPropertyOptional({ example: '{"colour":"green"}', maxLength: 10000 })
  @IsOmittable()
  @IsString()
  @MaxLength(10000)
  data?: string;
}
