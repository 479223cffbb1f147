import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANOMALY_KINDS, PAYMENT_STATUSES, SESSION_STATUSES } from '../sessions.tables';

export class CostLineResponse {
  @ApiProperty({
    example: 'energy',
    enum: ['energy', 'time', 'session_fee', 'idle', 'minimum_adjustment', 'maximum_adjustment', 'tax'],
  })
  kind: string;
  @ApiProperty({ example: 'Energy' }) description: string;
  @ApiProperty({ example: 12000 }) quantity: number;
  @ApiProperty({ example: 'Wh', enum: ['Wh', 'second', 'minute', 'session', 'percent'] }) unit: string;
  @ApiProperty({
    type: 'integer',
    example: 30,
    description: 'Price per kWh, hour, minute or session as configured',
  })
  unitPriceMinor: number;
  @ApiProperty({ type: 'integer', example: 360 }) amountMinor: number;
}

export class CostResponse {
  @ApiProperty({ type: 'integer', example: 432, description: 'Total to pay, minor units' })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: 'integer', example: 360 }) netMinor: number;
  @ApiProperty({ type: 'integer', example: 72 }) taxMinor: number;
  @ApiProperty({ type: [CostLineResponse] }) lines: CostLineResponse[];
}

export class EstimatedCostResponse {
  @ApiProperty({ type: 'integer', example: 120 }) amountMinor: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
}

export class AnomalyResponse {
  @ApiProperty({ enum: ANOMALY_KINDS, example: 'meter_stop_below_start' }) kind: string;
  @ApiProperty({ example: 'meterStop 900 Wh is below meterStart 1000 Wh; billed 0 Wh' }) message: string;
  @ApiProperty({ example: '2026-11-22T10:30:00.000Z' }) occurredAt: string;
  @ApiPropertyOptional({ type: 'integer', example: 4711, nullable: true }) transactionId?: number | null;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SESSION_STATUSES, example: 'active' }) status: string;
  @ApiProperty({ format: 'uuid' }) stationId: string;
  @ApiProperty({ example: 'CP001' }) chargePointId: string;
  @ApiProperty({ type: 'integer', example: 1 }) connectorId: number;
  @ApiProperty({ example: 'A1B2C3D4E5' }) idTag: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) userId: string | null;
  @ApiProperty({
    // null matches both branches, hence anyOf; OpenAPI 3.0 puts nullable beside a type.
    anyOf: [
      { type: 'integer', nullable: true },
      { type: 'string', maxLength: 36, nullable: true },
    ],
    example: 4711,
    description:
      "OCPP transactionId once the charger started: the integer Kilowatt issued (OCPP 1.6) or the charger's own string (OCPP 2.0.1)",
  })
  transactionId: number | string | null;
  @ApiProperty({
    enum: ['remote', 'local'],
    example: 'remote',
    description: 'local: started at the charger (RFID)',
  })
  origin: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) requestedAt: string;
  @ApiProperty({ type: String, example: '2026-11-22T10:00:02.000Z', nullable: true }) startedAt:
    string | null;
  @ApiProperty({ type: String, example: null, nullable: true }) stoppedAt: string | null;
  @ApiProperty({ example: 12000, description: 'Energy so far (active) or billed (completed), Wh' })
  energyWh: number;
  @ApiProperty({ type: Number, example: 1000, nullable: true }) meterStartWh: number | null;
  @ApiProperty({ type: Number, example: null, nullable: true }) meterStopWh: number | null;
  @ApiProperty({ type: Number, example: 11000, nullable: true, description: 'Latest active import power, W' })
  powerW: number | null;
  @ApiProperty({
    type: Number,
    example: 64,
    nullable: true,
    description: 'State of charge when the charger reports it',
  })
  socPercent: number | null;
  @ApiProperty({ type: String, example: '2026-11-22T10:05:00.000Z', nullable: true }) lastMeterAt:
    string | null;
  @ApiProperty({
    type: Number,
    example: 300,
    nullable: true,
    description: 'Seconds since start (until stop when stopped)',
  })
  elapsedSeconds: number | null;
  @ApiProperty({
    type: EstimatedCostResponse,
    nullable: true,
    description: 'Active sessions: cost if stopped now',
  })
  estimatedCost: EstimatedCostResponse | null;
  @ApiProperty({ type: CostResponse, nullable: true, description: 'The settled bill, once completed' })
  cost: CostResponse | null;
  @ApiProperty({ type: String, example: 'KW-20261122-0004711', nullable: true }) orderNumber: string | null;
  @ApiProperty({ enum: PAYMENT_STATUSES, nullable: true, example: 'unpaid' }) paymentStatus: string | null;
  @ApiProperty({ type: String, example: 'Local', nullable: true, description: 'OCPP stop reason' })
  stopReason: string | null;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'Why a session failed' })
  failureReason: string | null;
  @ApiProperty({ type: [AnomalyResponse] }) anomalies: AnomalyResponse[];
}

export class SessionPageResponse {
  @ApiProperty({ type: [SessionResponse] }) items: SessionResponse[];
  @ApiProperty({ type: String, nullable: true, example: null }) nextCursor: string | null;
}

export class MeterValueResponse {
  @ApiProperty({ example: '2026-11-22T10:05:00.000Z' }) at: string;
  @ApiProperty({ example: 'Energy.Active.Import.Register' }) measurand: string;
  @ApiProperty({ type: String, example: null, nullable: true }) phase: string | null;
  @ApiProperty({ type: String, example: 'Outlet', nullable: true }) location: string | null;
  @ApiProperty({ example: 'Sample.Periodic' }) context: string;
  @ApiProperty({ example: 'Wh' }) unit: string;
  @ApiProperty({ example: 13000 }) value: number;
}

export class AnomalyPageItem extends AnomalyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) stationId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) sessionId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { meterStopWh: 900 } }) details: Record<
    string,
    unknown
  >;
}

export class AnomalyPageResponse {
  @ApiProperty({ type: [AnomalyPageItem] }) items: AnomalyPageItem[];
  @ApiProperty({ type: String, nullable: true, example: null }) nextCursor: string | null;
}
