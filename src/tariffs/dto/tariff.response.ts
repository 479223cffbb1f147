import { ApiProperty } from '@nestjs/swagger';
import { TimeOfUseWindowDto } from './tariff.dto';

export const TARIFF_SCOPES = ['station', 'site', 'tenant'] as const;
export type TariffScope = (typeof TARIFF_SCOPES)[number];

const NULLABLE_INT = { nullable: true, type: 'integer' } as const;
const NULLABLE_TIME = { nullable: true, type: String, example: null } as const;

export class TariffResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'Standard AC' }) name: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: 'integer', example: 35 }) energyPerKwhMinor: number;
  @ApiProperty({ type: 'integer', example: 0 }) timePerHourMinor: number;
  @ApiProperty({ type: 'integer', example: 100 }) sessionFeeMinor: number;
  @ApiProperty({ type: 'integer', example: 10 }) idleFeePerMinuteMinor: number;
  @ApiProperty({ example: 30 }) idleGraceMinutes: number;
  @ApiProperty({ type: [TimeOfUseWindowDto] }) timeOfUse: TimeOfUseWindowDto[];
  @ApiProperty({ example: 19 }) taxRatePercent: number;
  @ApiProperty({ example: true }) pricesIncludeTax: boolean;
  @ApiProperty({ ...NULLABLE_INT, example: 200 }) minSessionMinor: number | null;
  @ApiProperty({ ...NULLABLE_INT, example: 5000 }) maxSessionMinor: number | null;
  @ApiProperty({ enum: TARIFF_SCOPES, example: 'site', description: 'What it is assigned to' })
  scope: TariffScope;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) stationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) siteId: string | null;
  @ApiProperty(NULLABLE_TIME) validFrom: string | null;
  @ApiProperty(NULLABLE_TIME) validUntil: string | null;
  @ApiProperty({ example: 1, description: 'Bumped by every change' }) version: number;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
}

export class TariffPage {
  @ApiProperty({ type: [TariffResponse] }) items: TariffResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor: string | null;
}

/** The plan exactly as the pricing function takes it (the snapshot a session freezes). */
export class TariffPlanResponse {
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: 'integer', example: 35 }) energyPerKwhMinor: number;
  @ApiProperty({ type: 'integer', example: 0 }) timePerHourMinor: number;
  @ApiProperty({ type: 'integer', example: 100 }) sessionFeeMinor: number;
  @ApiProperty({ type: 'integer', example: 10 }) idleFeePerMinuteMinor: number;
  @ApiProperty({ example: 30 }) idleGraceMinutes: number;
  @ApiProperty({ type: [TimeOfUseWindowDto] }) timeOfUse: TimeOfUseWindowDto[];
  @ApiProperty({ example: 19 }) taxRatePercent: number;
  @ApiProperty({ example: true }) pricesIncludeTax: boolean;
  @ApiProperty({ ...NULLABLE_INT, example: null }) minSessionMinor: number | null;
  @ApiProperty({ ...NULLABLE_INT, example: null }) maxSessionMinor: number | null;
  @ApiProperty({ example: 'Europe/Berlin', description: "The site's time zone (UTC without a site)" })
  timeZone: string;
}

export class StationTariffResponse {
  @ApiProperty({ format: 'uuid' }) stationId: string;
  @ApiProperty({ format: 'uuid' }) tariffId: string;
  @ApiProperty({ type: 'integer', example: 3 }) tariffVersion: number;
  @ApiProperty({ example: 'Standard AC' }) name: string;
  @ApiProperty({ enum: TARIFF_SCOPES, example: 'site', description: 'Which assignment won' })
  scope: TariffScope;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z', description: 'The instant the plan was resolved for' })
  at: string;
  @ApiProperty({ type: TariffPlanResponse }) plan: TariffPlanResponse;
  @ApiProperty({
    example:
      '0.35 EUR/kWh (0.25 EUR/kWh Mon–Fri 22:00–06:00, Europe/Berlin time), 1.00 EUR per session, incl. 19% tax',
  })
  summary: string;
}
