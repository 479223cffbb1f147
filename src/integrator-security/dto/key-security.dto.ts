import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation';

export class UpdateKeySecurityDto {
  @ApiPropertyOptional({
    example: true,
    description: 'Every request with this key must carry X-Timestamp, X-Nonce and X-Signature',
  })
  @IsOmittable()
  @IsBoolean()
  requireSignature?: boolean;

  @ApiPropertyOptional({
    example: true,
    description: 'Request and response JSON bodies travel in the AES-256-GCM envelope',
  })
  @IsOmittable()
  @IsBoolean()
  requireEncryption?: boolean;

  @ApiPropertyOptional({
    example: 120,
    nullable: true,
    type: 'integer',
    minimum: 1,
    maximum: 1000000,
    description: 'Requests per minute for this key; null returns to API_KEY_RATE_LIMIT_PER_MINUTE',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000000)
  rateLimitPerMinute?: number | null;
}

export class KeySecurityResponse {
  @ApiProperty({ example: 'c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f' }) apiKeyId: string;
  @ApiProperty({ example: true }) requireSignature: boolean;
  @ApiProperty({ example: false }) requireEncryption: boolean;
  @ApiProperty({ example: null, nullable: true, type: Number, description: 'null: the server default' })
  rateLimitPerMinute: number | null;
  @ApiProperty({ example: 600, description: 'The limit that applies now' })
  effectiveRateLimitPerMinute: number;
  @ApiProperty({
    type: 'integer',
    example: 300,
    description: 'Accepted clock difference of X-Timestamp, either way',
  })
  signatureWindowSeconds: number;
  @ApiProperty({
    example: '2026-11-22T10:00:00.000Z',
    nullable: true,
    type: Date,
    description: 'When the current signing and encryption keys were issued; null: none yet',
  })
  keysIssuedAt: Date | null;
}

export class IssuedKeySecretsResponse extends KeySecurityResponse {
  @ApiProperty({
    example: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
    description: 'Base64 of 32 bytes: the HMAC-SHA256 key for X-Signature. Shown once.',
  })
  signingKey: string;
  @ApiProperty({
    example: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=',
    description: 'Base64 of 32 bytes: the AES-256-GCM key of the envelope. Shown once.',
  })
  encryptionKey: string;
}

export class EncryptedEnvelope {
  @ApiProperty({
    example: 'ABEiM0RVZneImaq7Z3xs3Ahx5Q0ScwlqP5JvX4Ez3y8rQKqGvQ==',
    description: 'base64(12-byte IV ‖ AES-256-GCM ciphertext ‖ 16-byte tag) of the JSON body',
  })
  encrypted: string;
}
