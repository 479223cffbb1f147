import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsInDateRange, IsOmittable } from '../../common/validation';

export const LOG_TYPES = ['DiagnosticsLog', 'SecurityLog'] as const;

export class GetDiagnosticsDto {
  @ApiPropertyOptional({
    example: 'ftp://diag.example.com/uploads/',
    description:
      'Where the charger uploads to. Omit it to have Kilowatt offer a one-time upload URL of its own, ' +
      'receive the file and keep it for download.',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  @Matches(/^(https?|ftps?):\/\/\S+$/i, { message: 'location must be an http(s) or ftp(s) URL' })
  location?: string;

  @ApiPropertyOptional({ type: 'integer', example: 2, minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100)
  retries?: number;

  @ApiPropertyOptional({ type: 'integer', example: 30, minimum: 0, description: 'Seconds between retries' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(86400)
  retryInterval?: number;

  @ApiPropertyOptional({ example: '2026-11-21T00:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  startTime?: string;

  @ApiPropertyOptional({ example: '2026-11-22T00:00:00Z' })
  @IsOmittable()
  @IsDateString()
  @IsInDateRange()
  stopTime?: string;

  @ApiPropertyOptional({
    enum: LOG_TYPES,
    default: 'DiagnosticsLog',
    example: 'SecurityLog',
    description:
      'OCPP 2.0.1 GetLog: the diagnostics log or the security log. A 1.6 station has only diagnostics: ' +
      'SecurityLog answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @IsOmittable()
  @IsIn(LOG_TYPES)
  logType?: (typeof LOG_TYPES)[number];
}

export class GetDiagnosticsResponse {
  @ApiProperty({ example: 'Accepted', description: 'Accepted when the charger names a file, else Rejected' })
  status: string;

  @ApiPropertyOptional({
    example: 'CP001-diagnostics-20261122T100000Z.txt',
    description: "The charger's fileName",
  })
  fileName?: string;

  @ApiPropertyOptional({
    example: '5b2a3f1d-9a11-4d8e-9d43-0b6f3a5252d4',
    description: 'The diagnostics file to follow and download (own upload location only)',
  })
  diagnosticsId?: string;
}

export class DiagnosticsFileResponse {
  @ApiProperty({ example: '5b2a3f1d-9a11-4d8e-9d43-0b6f3a5252d4' }) id: string;
  @ApiProperty({ example: '0b6f3a52-52d4-4d8e-9d43-2f1c6f1d9a11' }) stationId: string;
  @ApiProperty({
    example: 'Uploaded',
    description:
      'requested, Uploading, Uploaded, UploadFailed (DiagnosticsStatusNotification), rejected, offline, timeout',
  })
  status: string;
  @ApiProperty({ example: 'CP001-diagnostics-20261122T100000Z.txt', nullable: true, type: String })
  fileName: string | null;
  @ApiProperty({ enum: LOG_TYPES, example: 'DiagnosticsLog', description: 'Which log was asked for' })
  logType: string;
  @ApiProperty({ example: 2048, nullable: true, type: 'integer' }) sizeBytes: number | null;
  @ApiProperty({
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    nullable: true,
    type: String,
  })
  sha256: string | null;
  @ApiProperty({ example: true, description: 'Whether the file can be downloaded' }) available: boolean;
  @ApiProperty({ example: '2026-11-22T10:00:05.000Z', nullable: true, type: String }) receivedAt:
    string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
}

export class DiagnosticsFilePage {
  @ApiProperty({ type: [DiagnosticsFileResponse] }) items: DiagnosticsFileResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}

export class UploadReceipt {
  @ApiProperty({ type: 'integer', example: 2048 }) sizeBytes: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256: string;
}
