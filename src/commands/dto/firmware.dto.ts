import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsInDateRange, IsOmittable } from '../../common/validation';

const FIRMWARE_URL = /^(https?|ftps?):\/\/\S+$/i;
const PEM_CERTIFICATE = /^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The fields of a signed firmware update (OCPP 2.0.1 L01), which 1.6 has not. */
export const SIGNED_FIRMWARE_FIELDS = ['signingCertificate', 'signature', 'installDate'] as const;

export class UpdateFirmwareDto {
  @ApiProperty({
    example: 'https://firmware.example.com/wallbox-2.4.1.bin',
    description: 'URI of the firmware',
  })
  @IsString()
  @MaxLength(2000)
  @Matches(FIRMWARE_URL, { message: 'location must be an http(s) or ftp(s) URL' })
  location: string;

  @ApiPropertyOptional({ example: '2026-11-23T02:00:00Z', description: 'When to download; default now' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  retrieveDate?: string;

  @ApiPropertyOptional({ type: 'integer', example: 3, minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100)
  retries?: number;

  @ApiPropertyOptional({ type: 'integer', example: 60, minimum: 0, description: 'Seconds between retries' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(86400)
  retryInterval?: number;

  @ApiPropertyOptional({
    example: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU…\n-----END CERTIFICATE-----\n',
    maxLength: 5500,
    description:
      'OCPP 2.0.1 only (signed firmware): the PEM X.509 certificate the firmware was signed with (400 when it does not parse); give it with `signature`. ' +
      'A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(5500)
  @Matches(PEM_CERTIFICATE, { message: 'signingCertificate must be a PEM certificate' })
  signingCertificate?: string;

  @ApiPropertyOptional({
    example: 'MEUCIQDc3JmZ2V0aGlzaXNub3RhcmVhbHNpZ25hdHVyZQ==',
    maxLength: 800,
    description: 'OCPP 2.0.1 only: the base64 signature of the firmware; give it with `signingCertificate`',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(800)
  @Matches(BASE64, { message: 'signature must be base64' })
  signature?: string;

  @ApiPropertyOptional({
    example: '2026-11-23T03:00:00Z',
    description: 'OCPP 2.0.1 only: when to install, not before retrieveDate; default as soon as downloaded',
  })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  installDate?: string;
}

export class CreateRolloutDto extends UpdateFirmwareDto {
  @ApiPropertyOptional({
    example: '3f1c6f1d-9a11-4d8e-9d43-0b6f3a5252d4',
    description: 'Every station of this site',
  })
  @IsOmittable()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ example: 'Simulated AC 11kW', description: 'Every station of this model' })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  model?: string;

  @ApiPropertyOptional({ type: [String], example: ['0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11'] })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  stationIds?: string[];

  @ApiPropertyOptional({ description: 'Root only: the tenant whose stations to update' })
  @IsOmittable()
  @IsUUID()
  tenantId?: string;
}

export class UpdateFirmwareResponse {
  @ApiProperty({
    example: 'Accepted',
    description: 'UpdateFirmware.conf has no fields: a reply means accepted',
  })
  status: string;

  @ApiProperty({
    example: '6a0b1c9e-2f43-4f0f-9b8e-2b9f1f0f6c11',
    description: 'Follow it in firmware status',
  })
  firmwareUpdateId: string;
}

export class FirmwareUpdateResponse {
  @ApiProperty({ example: '6a0b1c9e-2f43-4f0f-9b8e-2b9f1f0f6c11' }) id: string;
  @ApiProperty({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' }) stationId: string;
  @ApiProperty({ example: 'CP001' }) chargePointId: string;
  @ApiProperty({ example: null, nullable: true, type: String }) rolloutId: string | null;
  @ApiProperty({ example: 'https://firmware.example.com/wallbox-2.4.1.bin' }) location: string;
  @ApiProperty({ example: '2026-11-23T02:00:00.000Z' }) retrieveDate: string;
  @ApiProperty({
    example: 'Installing',
    description:
      'pending, sent, rejected, offline, timeout, then from FirmwareStatusNotification: Downloading, Downloaded, ' +
      'DownloadFailed, Installing, Installed, InstallationFailed',
  })
  status: string;
  @ApiProperty({ example: null, nullable: true, type: String }) errorCode: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:05:00.000Z' }) updatedAt: string;
}

export class RolloutResponse {
  @ApiProperty({ example: '2f43c9e1-6a0b-4f0f-9b8e-2b9f1f0f6c11' }) id: string;
  @ApiProperty({ example: '2f1c6f1d-9a11-4d8e-9d43-0b6f3a5252d4' }) tenantId: string;
  @ApiProperty({ example: 'https://firmware.example.com/wallbox-2.4.1.bin' }) location: string;
  @ApiProperty({ example: '2026-11-23T02:00:00.000Z' }) retrieveDate: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { model: 'Simulated AC 11kW' } })
  target: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { pending: 0, sent: 1, Installed: 3 },
    description: 'Stations per status',
  })
  summary: Record<string, number>;
  @ApiProperty({ type: [FirmwareUpdateResponse] }) stations: FirmwareUpdateResponse[];
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
}

export class StationFirmwareResponse {
  @ApiProperty({ example: '1.6.0-sim', nullable: true, type: String }) firmwareVersion: string | null;
  @ApiProperty({
    example: 'Installed',
    nullable: true,
    type: String,
    description: 'The last FirmwareStatusNotification the station sent',
  })
  firmwareStatus: string | null;
  @ApiProperty({ type: [FirmwareUpdateResponse], description: 'Newest first' })
  updates: FirmwareUpdateResponse[];
}
