import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { OCPP_VERSIONS, type OcppVersion } from '../../common/ocpp-versions';
import { REGISTRATION_STATUSES } from '../stations.tables';
import { INT32_MAX, IsOmittable } from '../../common/validation';
import { CONNECTOR_FORMATS, CONNECTOR_STANDARDS, POWER_TYPES } from '../connector-standards';

/** OCPP 1.6 ChargePointStatus values a connector reports. */
export const CONNECTOR_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const;

/** Printable characters that are safe in the charger's URL path `/ocpp/{chargePointId}`. */
export const CHARGE_POINT_ID = /^[A-Za-z0-9._~:*+@-]{1,48}$/;
export const CHARGER_PASSWORD_RULE =
  'password must be 16-40 printable ASCII characters (OCPP security whitepaper)';
export const CHARGER_PASSWORD = /^[\x21-\x7e]{16,40}$/;
const PASSWORD_DOC =
  `${CHARGER_PASSWORD_RULE}. A random key of 20 or more characters (e.g. 40 hex digits) is checked ` +
  'in microseconds, so a fleet can reconnect at once; a guessable one keeps a slow hash (argon2id).';

/** A connector as an operator declares it before (or whatever) the charger reports. */
export class DeclaredConnectorDto {
  @ApiProperty({
    type: 'integer',
    example: 1,
    minimum: 1,
    maximum: INT32_MAX,
    description: 'OCPP connectorId',
  })
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  connectorId: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    minimum: 1,
    maximum: INT32_MAX,
    nullable: true,
    description: 'The EVSE it belongs to (OCPP 2.0.1); left out or null: none',
  })
  @ValidateIf((o: DeclaredConnectorDto) => o.evseId !== undefined && o.evseId !== null)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  evseId?: number | null;

  @ApiProperty({
    enum: CONNECTOR_STANDARDS,
    example: 'IEC_62196_T2_COMBO',
    description: 'OCPI 2.2.1 ConnectorType',
  })
  @IsIn(CONNECTOR_STANDARDS)
  standard: (typeof CONNECTOR_STANDARDS)[number];

  @ApiProperty({ enum: CONNECTOR_FORMATS, example: 'CABLE', description: 'OCPI 2.2.1 ConnectorFormat' })
  @IsIn(CONNECTOR_FORMATS)
  format: (typeof CONNECTOR_FORMATS)[number];

  @ApiProperty({ enum: POWER_TYPES, example: 'DC', description: 'OCPI 2.2.1 PowerType' })
  @IsIn(POWER_TYPES)
  powerType: (typeof POWER_TYPES)[number];

  @ApiProperty({ type: 'integer', example: 150000, minimum: 1, maximum: INT32_MAX })
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  maxPowerW: number;

  @ApiPropertyOptional({ type: 'integer', example: 920, minimum: 1, maximum: INT32_MAX, nullable: true })
  @ValidateIf((o: DeclaredConnectorDto) => o.maxVoltageV !== undefined && o.maxVoltageV !== null)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  maxVoltageV?: number | null;

  @ApiPropertyOptional({ type: 'integer', example: 200, minimum: 1, maximum: INT32_MAX, nullable: true })
  @ValidateIf((o: DeclaredConnectorDto) => o.maxAmperageA !== undefined && o.maxAmperageA !== null)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  maxAmperageA?: number | null;
}

/** The most connectors one request declares. */
const MAX_DECLARED = 64;

const CONNECTORS_EXAMPLE = [
  {
    connectorId: 1,
    evseId: 1,
    standard: 'IEC_62196_T2_COMBO',
    format: 'CABLE',
    powerType: 'DC',
    maxPowerW: 150000,
    maxVoltageV: 920,
    maxAmperageA: 200,
  },
  { connectorId: 2, standard: 'IEC_62196_T2', format: 'SOCKET', powerType: 'AC_3_PHASE', maxPowerW: 22000 },
];

export class CreateStationDto {
  @ApiProperty({ example: 'CP001', description: "The id in the charger's URL /ocpp/{chargePointId}" })
  @Matches(CHARGE_POINT_ID, {
    message: 'chargePointId must be 1-48 characters of A-Z a-z 0-9 . _ ~ : * + @ -',
  })
  chargePointId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Site of the same tenant' })
  @IsOmittable()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ example: 'Bay 1 (north)' })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    default: 0,
    description: '0 none, 1 Basic Auth, 2 TLS + Basic Auth, 3 mutual TLS; 1 and 2 need a password',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(3)
  securityProfile?: number;

  @ApiPropertyOptional({ example: 'aVeryLongSecret123', format: 'password', description: PASSWORD_DOC })
  @IsOmittable()
  @Matches(CHARGER_PASSWORD, { message: CHARGER_PASSWORD_RULE })
  password?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: OCPP_VERSIONS,
    nullable: true,
    example: ['ocpp1.6'],
    description:
      'Pins the OCPP versions the charger may connect with; left out or null: any (2.0.1 preferred when offered)',
  })
  @ValidateIf((o: { ocppVersions?: unknown }) => o.ocppVersions !== undefined && o.ocppVersions !== null)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(OCPP_VERSIONS, { each: true })
  ocppVersions?: OcppVersion[] | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Root only: the tenant that owns the station' })
  @IsOmittable()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({
    type: [DeclaredConnectorDto],
    example: CONNECTORS_EXAMPLE,
    description:
      'Connectors declared up front (for QR stickers and drivers before commissioning); connectorId unique. ' +
      "Their status is 'Unknown' until the charger reports them.",
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_DECLARED)
  @ArrayUnique((c: DeclaredConnectorDto) => c?.connectorId, {
    message: 'connectors must not repeat a connectorId',
  })
  @ValidateNested({ each: true })
  @Type(() => DeclaredConnectorDto)
  connectors?: DeclaredConnectorDto[];
}

export class UpdateStationDto {
  @ApiPropertyOptional({ type: String, example: 'Bay 1 (north)', nullable: true })
  @ValidateIf((o: UpdateStationDto) => o.name !== undefined && o.name !== null)
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null detaches it from its site',
  })
  @ValidateIf((o: UpdateStationDto) => o.siteId !== undefined && o.siteId !== null)
  @IsUUID()
  siteId?: string | null;

  @ApiPropertyOptional({ type: 'integer', example: 2, minimum: 0, maximum: 3 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(3)
  securityProfile?: number;

  @ApiPropertyOptional({ format: 'password', description: PASSWORD_DOC })
  @IsOmittable()
  @Matches(CHARGER_PASSWORD, { message: CHARGER_PASSWORD_RULE })
  password?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: OCPP_VERSIONS,
    nullable: true,
    example: ['ocpp1.6'],
    description:
      'Pins the OCPP versions the charger may connect with; left out or null: any (2.0.1 preferred when offered)',
  })
  @ValidateIf((o: { ocppVersions?: unknown }) => o.ocppVersions !== undefined && o.ocppVersions !== null)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(OCPP_VERSIONS, { each: true })
  ocppVersions?: OcppVersion[] | null;

  @ApiPropertyOptional({
    enum: REGISTRATION_STATUSES,
    example: 'accepted',
    description: 'Accept or reject a charger that registered itself (pending)',
  })
  @IsOmittable()
  @IsIn(REGISTRATION_STATUSES)
  registrationStatus?: (typeof REGISTRATION_STATUSES)[number];

  @ApiPropertyOptional({
    type: [DeclaredConnectorDto],
    example: CONNECTORS_EXAMPLE.slice(1),
    description:
      'Declares these connectors or replaces what was declared about them (a field left out becomes null); ' +
      'connectors not listed are kept as they are. A live status is never changed here. Remove a connector the charger has never reported with DELETE /stations/{id}/connectors/{connectorId}.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_DECLARED)
  @ArrayUnique((c: DeclaredConnectorDto) => c?.connectorId, {
    message: 'connectors must not repeat a connectorId',
  })
  @ValidateNested({ each: true })
  @Type(() => DeclaredConnectorDto)
  connectors?: DeclaredConnectorDto[];
}

export class StationPasswordDto {
  @ApiProperty({ example: 'aVeryLongSecret123', format: 'password', description: PASSWORD_DOC })
  @Matches(CHARGER_PASSWORD, { message: CHARGER_PASSWORD_RULE })
  password: string;
}

export class UpdateConnectorDto {
  @ApiPropertyOptional({
    type: String,
    example: 'CCS2',
    nullable: true,
    description: 'Type1, Type2, CCS1, CCS2, CHAdeMO, …',
  })
  @ValidateIf((o: UpdateConnectorDto) => o.type !== undefined && o.type !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9 _.-]{1,32}$/, { message: 'type must be 1-32 letters, digits, spaces, _ . -' })
  type?: string | null;

  @ApiPropertyOptional({ type: 'integer', example: 150000, nullable: true, minimum: 1, maximum: 2000000 })
  @ValidateIf((o: UpdateConnectorDto) => o.maxPowerW !== undefined && o.maxPowerW !== null)
  @IsInt()
  @Min(1)
  @Max(2_000_000)
  maxPowerW?: number | null;
}

export class StationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '52.52,13.405', description: 'lat,lng: sort by distance from this point' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  near?: string;

  @ApiPropertyOptional({ example: 5, description: 'With near: only stations within this radius' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(20_100)
  radiusKm?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({
    enum: CONNECTOR_STATUSES,
    example: 'Available',
    description: 'A connector in this status now',
  })
  @IsOptional()
  @IsIn(CONNECTOR_STATUSES)
  status?: (typeof CONNECTOR_STATUSES)[number];

  @ApiPropertyOptional({
    example: 'CCS2',
    description:
      'A connector of this type (case-insensitive): its `type` (CCS2, Type2, …) or its declared OCPI `standard` (IEC_62196_T2_COMBO, …)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  connectorType?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 50000,
    description: 'A connector whose maxPowerW is at least this many watts',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  minPowerW?: number;
}
