import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation';

export class SendLocalListDto {
  @ApiProperty({
    enum: ['Full', 'Differential'],
    example: 'Full',
    description:
      'Full: every idTag of the tenant. Differential: only what changed since the list the charger last accepted.',
  })
  @IsIn(['Full', 'Differential'])
  updateType: 'Full' | 'Differential';

  @ApiPropertyOptional({
    type: 'integer',
    example: 4,
    description: 'Default: one more than the last accepted version',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  listVersion?: number;
}

export class SendLocalListResponse {
  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'Failed', 'NotSupported', 'VersionMismatch'] })
  status: string;
  @ApiProperty({ type: 'integer', example: 4 }) listVersion: number;
  @ApiProperty({ example: 12, description: 'How many entries were sent' }) entries: number;
}

export class LocalListVersionResponse {
  @ApiProperty({
    type: 'integer',
    example: 4,
    description: "The charger's list version (-1: no local list support)",
  })
  listVersion: number;
  @ApiProperty({
    example: 4,
    nullable: true,
    type: 'integer',
    description: 'The version the charger last accepted from us',
  })
  lastSentListVersion: number | null;
}
