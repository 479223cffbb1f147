import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from './domain-error';

/** The error shape every route answers with (Swagger model). */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'username must be longer than or equal to 3 characters' }) message: string;
  @ApiProperty({
    enum: ERROR_CODES,
    example: 'VALIDATION_FAILED',
    description: 'Stable machine-readable code',
  })
  code: ErrorCode;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: {
      fields: [{ field: 'username', errors: ['username must be longer than or equal to 3 characters'] }],
    },
  })
  details?: Record<string, unknown>;
  @ApiPropertyOptional({ example: '5c1e7d0e-3b8e-4a53-9a55-0d3f8f4b7a10' }) requestId?: string;
}
