import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RevenueAmount {
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: 'integer', example: 12_345, description: 'Sum of settled totals in minor units' })
  amountMinor: number;
}

export class SummaryFigures {
  @ApiProperty({ example: 42, description: 'Completed sessions' }) sessions: number;
  @ApiProperty({ example: 3, description: 'Failed sessions (not in energy, revenue or averages)' })
  failedSessions: number;
  @ApiProperty({ example: 512_000 }) energyWh: number;
  @ApiProperty({ type: [RevenueAmount], description: 'One entry per currency; currencies are never added' })
  revenue: RevenueAmount[];
  @ApiProperty({ example: 5400, nullable: true, type: Number }) avgDurationSeconds: number | null;
  @ApiProperty({ example: 12_190, nullable: true, type: Number }) avgEnergyWh: number | null;
  @ApiProperty({
    example: 0.1825,
    nullable: true,
    type: Number,
    description:
      'Time charging ÷ (connectors × time in the bucket); null without connectors or for groupBy=user',
  })
  utilisation: number | null;
  @ApiProperty({
    example: 0.9931,
    nullable: true,
    type: Number,
    description: 'Time online ÷ (stations × time in the bucket); null without stations or for groupBy=user',
  })
  uptime: number | null;
}

export class SummaryRow extends SummaryFigures {
  @ApiProperty({
    example: '2026-03-29',
    description:
      'Local start date of the bucket (day/week/month), site/station/user id, `stationId:connectorId`, or `none`',
  })
  key: string;
  @ApiProperty({
    example: '2026-W13',
    description: 'Human label: date, ISO week, month, site name, chargePointId…',
  })
  label: string;
}

export class SummaryResponse {
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ example: '2026-04-01T00:00:00.000Z' }) to: string;
  @ApiProperty({ example: 'day', enum: ['day', 'week', 'month', 'site', 'station', 'connector', 'user'] })
  groupBy: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty({
    example: 'start',
    description: 'A session counts in the bucket where it began (startedAt, in the time zone)',
  })
  attribution: string;
  @ApiProperty({ type: [SummaryRow] }) rows: SummaryRow[];
  @ApiProperty({ type: SummaryFigures }) totals: SummaryFigures;
}

export class HistogramBin {
  @ApiProperty({ example: '18', description: 'Hour 0-23, ISO weekday 1 (Mon)-7, or a range such as `15-30`' })
  bin: string;
  @ApiPropertyOptional({ example: 'Mon', description: 'Weekdays only' }) label?: string;
  @ApiProperty({ example: 7 }) sessions: number;
}

export class UserRepeatFigures {
  @ApiProperty({ example: 12, description: 'Users with two or more sessions in the range' })
  repeatUsers: number;
  @ApiProperty({ example: 30, description: 'Users with exactly one session in the range' })
  oneTimeUsers: number;
  @ApiProperty({ example: 4, description: 'Sessions of RFID tags that belong to no account' })
  anonymousSessions: number;
}

export class IdleFigures {
  @ApiProperty({ example: 25, description: 'Sessions whose meter values show when charging ended' })
  sessions: number;
  @ApiProperty({
    example: 900,
    nullable: true,
    type: Number,
    description: 'Median plug-out minus charging end',
  })
  medianSeconds: number | null;
  @ApiProperty({ example: 1260, nullable: true, type: Number }) averageSeconds: number | null;
}

export class HabitsResponse {
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ example: '2026-04-01T00:00:00.000Z' }) to: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'uuid' }) userId: string | null;
  @ApiProperty({ example: 42, description: 'Completed sessions the habits are drawn from' }) sessions: number;
  @ApiProperty({ type: [HistogramBin], description: '24 bins, local start hour' }) startHours: HistogramBin[];
  @ApiProperty({ type: [HistogramBin], description: '7 bins, ISO weekday 1 = Monday' })
  weekdays: HistogramBin[];
  @ApiProperty({ type: [HistogramBin], description: 'Minutes: 0-15, 15-30, 30-60, 60-120, 120-240, 240+' })
  durationMinutes: HistogramBin[];
  @ApiProperty({ type: [HistogramBin], description: 'kWh: 0-5, 5-10, 10-20, 20-40, 40+' })
  energyKwh: HistogramBin[];
  @ApiProperty({ type: UserRepeatFigures }) users: UserRepeatFigures;
  @ApiProperty({ type: IdleFigures }) idle: IdleFigures;
}
