import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OCPP_VERSIONS } from '../../common/ocpp-versions';
import { REGISTRATION_STATUSES } from '../stations.tables';
import { CONNECTOR_FORMATS, CONNECTOR_STANDARDS, POWER_TYPES } from '../connector-standards';
import { CONNECTOR_STATUSES } from './station.dto';

const NULLABLE_STRING = { nullable: true, type: String } as const;
const NULLABLE_TIME = { nullable: true, type: String, example: '2026-11-22T10:00:00.000Z' } as const;

/** What a connector's live status reads: an OCPP 1.6 ChargePointStatus, or Unknown before any report. */
const LIVE_STATUSES = [...CONNECTOR_STATUSES, 'Unknown'];

export class ConnectorResponse {
  @ApiProperty({ type: 'integer', example: 1, description: 'OCPP connectorId' }) connectorId: number;
  @ApiProperty({
    enum: LIVE_STATUSES,
    example: 'Available',
    description:
      "Live OCPP status as last reported (a 2.0.1 station's in 1.6 words); 'Unknown' while the charger has never reported the connector (statusAt null)",
  })
  status: string;
  @ApiProperty({
    example: 'NoError',
    description: "Live OCPP error code; 'NoError' until the charger reports one",
  })
  errorCode: string;
  @ApiProperty({ ...NULLABLE_STRING, example: null }) info: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: null }) vendorErrorCode: string | null;
  @ApiProperty({
    ...NULLABLE_STRING,
    example: 'CCS2',
    description:
      "Short name (kept for compatibility): set from `standard` when declared, e.g. IEC_62196_T2_COMBO → 'CCS2'",
  })
  type: string | null;
  @ApiProperty({ nullable: true, type: 'integer', example: 1, description: 'Declared EVSE' }) evseId:
    number | null;
  @ApiProperty({
    nullable: true,
    enum: CONNECTOR_STANDARDS,
    example: 'IEC_62196_T2_COMBO',
    description: 'Declared OCPI 2.2.1 ConnectorType',
  })
  standard: string | null;
  @ApiProperty({
    nullable: true,
    enum: CONNECTOR_FORMATS,
    example: 'CABLE',
    description: 'Declared OCPI 2.2.1 ConnectorFormat',
  })
  format: string | null;
  @ApiProperty({
    nullable: true,
    enum: POWER_TYPES,
    example: 'DC',
    description: 'Declared OCPI 2.2.1 PowerType',
  })
  powerType: string | null;
  @ApiProperty({ nullable: true, type: 'integer', example: 150000 }) maxPowerW: number | null;
  @ApiProperty({ nullable: true, type: 'integer', example: 920 }) maxVoltageV: number | null;
  @ApiProperty({ nullable: true, type: 'integer', example: 200 }) maxAmperageA: number | null;
  @ApiProperty(NULLABLE_TIME) statusAt: string | null;
}

export class StationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'CP001' }) chargePointId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: 'Bay 1 (north)' }) name: string | null;
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES, example: 'accepted', description: 'Admins only' })
  registrationStatus?: string;
  @ApiPropertyOptional({ example: 1, description: 'OCPP security profile 0-3; admins only' })
  securityProfile?: number;
  @ApiPropertyOptional({ example: true, description: 'A charger password is set (never shown); admins only' })
  hasPassword?: boolean;
  @ApiPropertyOptional({
    type: [String],
    enum: OCPP_VERSIONS,
    nullable: true,
    example: null,
    description: 'The OCPP versions the charger may connect with; null: any. Admins only',
  })
  ocppVersions?: string[] | null;
  @ApiProperty({ example: true, description: 'The charger is connected now' }) online: boolean;
  @ApiProperty({
    enum: OCPP_VERSIONS,
    nullable: true,
    example: 'ocpp2.0.1',
    description: 'The OCPP version of its current or last connection; null before the first',
  })
  ocppVersion: string | null;
  @ApiProperty(NULLABLE_TIME) lastSeenAt: string | null;
  @ApiProperty(NULLABLE_TIME) lastBootAt: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: 'ABB' }) vendor: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: 'Terra AC' }) model: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: 'SN-0042' }) serialNumber: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: '1.8.2' }) firmwareVersion: string | null;
  @ApiProperty({
    enum: LIVE_STATUSES,
    nullable: true,
    example: 'Available',
    description: 'Connector 0: the charge point as a whole',
  })
  status: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: 'NoError' }) errorCode: string | null;
  @ApiProperty({ type: [ConnectorResponse] }) connectors: ConnectorResponse[];
  @ApiPropertyOptional({ example: 1234, description: 'Metres from `near`, when it was given' })
  distanceM?: number;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
}

export class StationPage {
  @ApiProperty({ type: [StationResponse] }) items: StationResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor: string | null;
}
