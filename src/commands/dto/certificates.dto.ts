import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation';
import { CERTIFICATE_DELIVERY_STATUSES, type IssuedCertificateRow } from '../certificates.tables';

/** OCPP 2.0.1 GetCertificateIdUseEnumType: what GetInstalledCertificateIds may ask for. */
export const INSTALLED_CERTIFICATE_TYPES = [
  'V2GRootCertificate',
  'MORootCertificate',
  'CSMSRootCertificate',
  'V2GCertificateChain',
  'ManufacturerRootCertificate',
] as const;
/** OCPP 2.0.1 InstallCertificateUseEnumType: the root certificates a station may be given. */
export const INSTALLABLE_CERTIFICATE_TYPES = [
  'V2GRootCertificate',
  'MORootCertificate',
  'CSMSRootCertificate',
  'ManufacturerRootCertificate',
] as const;
export const HASH_ALGORITHMS = ['SHA256', 'SHA384', 'SHA512'] as const;

const PEM_EXAMPLE = '-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIU…\n-----END CERTIFICATE-----\n';
const SHA256_HEX = 'a3f1c9e07b5d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f1a3c5e7b9d0f';

export class IssuedCertificateResponse {
  @ApiProperty({ format: 'uuid', example: '5b0a3c1e-7d2f-4a6b-9c8e-1f2a3b4c5d6e' }) id: string;
  @ApiProperty({ example: '4f1c0a9b2e7d3c5a8b6e0f1d2c3b4a59', description: 'Lower-case hex' })
  serialNumber: string;
  @ApiProperty({ example: SHA256_HEX, description: 'SHA-256 of the DER certificate, lower-case hex' })
  sha256Fingerprint: string;
  @ApiProperty({ example: 'CN=CP001, O=Acme' }) subject: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-04T08:00:00.000Z' }) notBefore: string;
  @ApiProperty({ format: 'date-time', example: '2027-12-04T08:00:00.000Z' }) notAfter: string;
  @ApiProperty({ example: PEM_EXAMPLE, description: 'The PEM sent to the station with CertificateSigned' })
  certificate: string;
  @ApiProperty({
    enum: CERTIFICATE_DELIVERY_STATUSES,
    example: 'accepted',
    description:
      'pending until the station answers CertificateSigned; accepted or rejected by its answer; failed when it was offline, silent or answered an error',
  })
  deliveryStatus: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why delivery failed' })
  deliveryError: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-04T08:00:01.000Z' }) issuedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-04T08:00:01.200Z' })
  deliveredAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
    description: 'When an operator revoked it: from then on it admits the station no more',
  })
  revokedAt: string | null;

  static of(row: IssuedCertificateRow): IssuedCertificateResponse {
    return {
      id: row.id,
      serialNumber: row.serialNumber,
      sha256Fingerprint: row.sha256Fingerprint,
      subject: row.subject,
      notBefore: row.notBefore.toISOString(),
      notAfter: row.notAfter.toISOString(),
      certificate: row.certificateChain,
      deliveryStatus: row.deliveryStatus,
      deliveryError: row.deliveryError,
      issuedAt: row.issuedAt.toISOString(),
      deliveredAt: row.deliveredAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  }
}

export class IssuedCertificateList {
  @ApiProperty({ type: [IssuedCertificateResponse] }) items: IssuedCertificateResponse[];
}

export class StatusInfoResponse {
  @ApiProperty({ example: 'InvalidCertificate' }) reasonCode: string;
  @ApiPropertyOptional({ example: 'Not a root certificate' }) additionalInfo?: string;
}

/** A 2.0.1 station's reply with a status: TriggerMessage, InstallCertificate, DeleteCertificate. */
export class CertificateCommandResponse {
  @ApiProperty({ example: 'Accepted', description: "The station's status, in OCPP 2.0.1 words" })
  status: string;
  @ApiPropertyOptional({ type: StatusInfoResponse }) statusInfo?: StatusInfoResponse;
}

export class CertificateHashDataDto {
  @ApiProperty({ enum: HASH_ALGORITHMS, example: 'SHA256' })
  @IsIn(HASH_ALGORITHMS)
  hashAlgorithm: string;

  @ApiProperty({ example: SHA256_HEX, description: "Hash of the issuer's distinguished name (DER), hex" })
  @IsString()
  @Matches(/^[0-9a-fA-F]{1,128}$/)
  issuerNameHash: string;

  @ApiProperty({ example: SHA256_HEX, description: "Hash of the issuer's public key, hex" })
  @IsString()
  @Matches(/^[0-9a-fA-F]{1,128}$/)
  issuerKeyHash: string;

  @ApiProperty({ example: '4f1c0a9b2e7d3c5a', description: 'Serial number, hex' })
  @IsString()
  @Matches(/^[0-9a-fA-F]{1,40}$/)
  serialNumber: string;
}

export class CertificateHashDataChainResponse {
  @ApiProperty({ enum: INSTALLED_CERTIFICATE_TYPES, example: 'CSMSRootCertificate' }) certificateType: string;
  @ApiProperty({ type: CertificateHashDataDto }) certificateHashData: CertificateHashDataDto;
  @ApiPropertyOptional({ type: [CertificateHashDataDto] })
  childCertificateHashData?: CertificateHashDataDto[];
}

export class InstalledCertificatesResponse {
  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'NotFound'] }) status: string;
  @ApiPropertyOptional({ type: [CertificateHashDataChainResponse] })
  certificateHashDataChain?: CertificateHashDataChainResponse[];
  @ApiPropertyOptional({ type: StatusInfoResponse }) statusInfo?: StatusInfoResponse;
}

export class InstalledCertificatesQueryDto {
  @ApiPropertyOptional({
    enum: INSTALLED_CERTIFICATE_TYPES,
    isArray: true,
    example: ['CSMSRootCertificate'],
    description: 'Only these types (repeat the parameter, or separate with commas); all when absent',
  })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value,
  )
  @IsArray()
  @ArrayMaxSize(INSTALLED_CERTIFICATE_TYPES.length)
  @IsIn(INSTALLED_CERTIFICATE_TYPES, { each: true })
  certificateType?: string[];
}

export class InstallCertificateDto {
  @ApiProperty({ enum: INSTALLABLE_CERTIFICATE_TYPES, example: 'CSMSRootCertificate' })
  @IsIn(INSTALLABLE_CERTIFICATE_TYPES)
  certificateType: string;

  @ApiProperty({
    example: PEM_EXAMPLE,
    description: 'One PEM-encoded X.509 certificate (at most 5500 characters)',
  })
  @IsString()
  @MaxLength(5500)
  certificate: string;
}

export class DeleteCertificateDto {
  @ApiProperty({ type: CertificateHashDataDto, description: 'As GET installed-certificates lists it' })
  @IsObject()
  @ValidateNested()
  @Type(() => CertificateHashDataDto)
  certificateHashData: CertificateHashDataDto;
}
