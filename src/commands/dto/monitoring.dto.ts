import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { INT32_MAX, IsInDateRange, IsOmittable } from '../../common/validation';
import {
  EVENT_TRIGGERS,
  MONITORING_CRITERIA,
  MONITORING_REPORT_STATUSES,
  MONITOR_TYPES,
  REPORTED,
  SET_MONITORING_STATUSES,
} from '../monitoring';
import type { StationMonitorRow, StationMonitoringEventRow } from '../monitoring.tables';
import { ComponentRefDto, StationVariablesQueryDto, VariableRefDto } from './station-variables.dto';

export class SetMonitoringDataDto {
  @ApiPropertyOptional({
    type: 'integer',
    example: 3,
    minimum: 0,
    description: "An existing monitor's id, to replace it; the station gives a new one its id",
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  id?: number;

  @ApiPropertyOptional({ example: false, default: false, description: 'Only during a transaction' })
  @IsOmittable()
  @IsBoolean()
  transaction?: boolean;

  @ApiProperty({
    example: 80,
    description: 'Threshold, delta, or the interval in seconds of a periodic monitor',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value: number;

  @ApiProperty({ enum: MONITOR_TYPES, example: 'UpperThreshold' })
  @IsIn(MONITOR_TYPES)
  type: (typeof MONITOR_TYPES)[number];

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 9,
    example: 2,
    description:
      '0 Danger, 1 Hardware Failure, 2 System Failure, 3 Critical, 4 Error, 5 Alert, 6 Warning, 7 Notice, 8 Informational, 9 Debug',
  })
  @IsInt()
  @Min(0)
  @Max(9)
  severity: number;

  @ApiProperty({ type: ComponentRefDto, example: { name: 'EVSE', evse: { id: 1 } } })
  @IsObject()
  @ValidateNested()
  @Type(() => ComponentRefDto)
  component: ComponentRefDto;

  @ApiProperty({ type: VariableRefDto, example: { name: 'Power' } })
  @IsObject()
  @ValidateNested()
  @Type(() => VariableRefDto)
  variable: VariableRefDto;
}

export class SetVariableMonitoringDto {
  @ApiProperty({
    type: [SetMonitoringDataDto],
    minItems: 1,
    maxItems: 100,
    example: [
      {
        value: 20000,
        type: 'UpperThreshold',
        severity: 4,
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'Power' },
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SetMonitoringDataDto)
  setMonitoringData: SetMonitoringDataDto[];
}

export class SetMonitoringResultResponse {
  @ApiPropertyOptional({
    type: 'integer',
    example: 1,
    description: "The monitor's id at the station (when Accepted)",
  })
  id?: number;

  @ApiProperty({ enum: SET_MONITORING_STATUSES, example: 'Accepted' }) status: string;
  @ApiProperty({ enum: MONITOR_TYPES, example: 'UpperThreshold' }) type: string;
  @ApiProperty({ type: 'integer', example: 4 }) severity: number;
  @ApiProperty({ type: ComponentRefDto }) component: ComponentRefDto;
  @ApiProperty({ type: VariableRefDto }) variable: VariableRefDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { reasonCode: 'Unsupported' },
    description: 'The statusInfo the station added, as it sent it',
  })
  statusInfo?: Record<string, unknown>;
}

export class SetVariableMonitoringResponse {
  @ApiProperty({ type: [SetMonitoringResultResponse] }) setMonitoringResult: SetMonitoringResultResponse[];
}

export class ClearMonitorResponse {
  @ApiProperty({
    enum: ['Accepted', 'Rejected', 'NotFound'],
    example: 'Accepted',
    description: "The station's answer: Accepted and NotFound remove the stored monitor, Rejected keeps it",
  })
  status: string;
}

export class ComponentVariableDto {
  @ApiProperty({ type: ComponentRefDto, example: { name: 'EVSE', evse: { id: 1 } } })
  @IsObject()
  @ValidateNested()
  @Type(() => ComponentRefDto)
  component: ComponentRefDto;

  @ApiPropertyOptional({
    type: VariableRefDto,
    example: { name: 'Power' },
    description: 'Left out: every variable of the component',
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => VariableRefDto)
  variable?: VariableRefDto;
}

export class RefreshMonitorsDto {
  @ApiPropertyOptional({
    enum: MONITORING_CRITERIA,
    isArray: true,
    minItems: 1,
    maxItems: 3,
    example: ['ThresholdMonitoring'],
    description:
      'Only monitors of these kinds (Threshold: Upper/LowerThreshold, Delta, Periodic: Periodic and ' +
      'PeriodicClockAligned). A filtered report updates the monitors it lists and removes none.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(MONITORING_CRITERIA, { each: true })
  monitoringCriteria?: (typeof MONITORING_CRITERIA)[number][];

  @ApiPropertyOptional({
    type: [ComponentVariableDto],
    minItems: 1,
    maxItems: 100,
    example: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } }],
    description: 'Only monitors of these components (and variables). A filtered report removes none.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ComponentVariableDto)
  componentVariable?: ComponentVariableDto[];
}

export class RefreshMonitorsResponse {
  @ApiProperty({
    enum: MONITORING_REPORT_STATUSES,
    example: 'Accepted',
    description:
      'Accepted: the station reports its monitors (NotifyMonitoringReport); without filters they replace the ' +
      'stored ones with an id once the last part arrives. EmptyResultSet: it has none (that match), and without ' +
      'filters the stored ones with an id were removed. Rejected, NotSupported: nothing changes',
  })
  status: string;

  @ApiProperty({ type: 'integer', example: 1804289383, description: 'The requestId of GetMonitoringReport' })
  requestId: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { reasonCode: 'Unsupported' },
    description: 'The statusInfo the station added, as it sent it',
  })
  statusInfo?: Record<string, unknown>;
}

export class MonitorsQueryDto extends StationVariablesQueryDto {}

export class MonitorResponse {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1,
    description: "The station's id for it; null when the station refused it",
  })
  monitorId: number | null;

  @ApiProperty({ example: 'EVSE' }) componentName: string;
  @ApiProperty({ type: String, nullable: true, example: null }) componentInstance: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) evseId: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) connectorId: number | null;
  @ApiProperty({ example: 'Power' }) variableName: string;
  @ApiProperty({ type: String, nullable: true, example: null }) variableInstance: string | null;
  @ApiProperty({ enum: MONITOR_TYPES, example: 'UpperThreshold' }) type: string;
  @ApiProperty({ example: 20000 }) value: number;
  @ApiProperty({ type: 'integer', example: 4 }) severity: number;
  @ApiProperty({ example: false }) transaction: boolean;
  @ApiProperty({
    enum: [...SET_MONITORING_STATUSES, REPORTED],
    example: 'Accepted',
    description:
      "The station's answer when Kilowatt set it, or Reported when the station listed it in a monitoring report " +
      '(its own, preconfigured or hard-wired monitors, or ones set by Kilowatt or another CSMS)',
  })
  status: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: null })
  statusInfo: Record<string, unknown> | null;

  @ApiProperty({ example: '2026-12-04T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-12-04T08:00:00.000Z' }) updatedAt: string;

  static of(r: StationMonitorRow): MonitorResponse {
    return {
      monitorId: r.monitorId,
      componentName: r.componentName,
      componentInstance: r.componentInstance,
      evseId: r.evseId,
      connectorId: r.connectorId,
      variableName: r.variableName,
      variableInstance: r.variableInstance,
      type: r.type,
      value: r.value,
      severity: r.severity,
      transaction: r.transaction,
      status: r.status,
      statusInfo: r.statusInfo,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export class MonitorPage {
  @ApiProperty({ type: [MonitorResponse] }) items: MonitorResponse[];
  @ApiProperty({ type: String, nullable: true, example: null }) nextCursor: string | null;
}

export class MonitoringEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'EVSE', description: 'Only this component (exact name)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  component?: string;

  @ApiPropertyOptional({ example: 'Power', description: 'Only this variable (exact name)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  variable?: string;

  @ApiPropertyOptional({ example: '2026-12-03T00:00:00Z', description: 'Received at or after' })
  @IsOptional()
  @IsDateString()
  @IsInDateRange()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-04T00:00:00Z', description: 'Received before' })
  @IsOptional()
  @IsDateString()
  @IsInDateRange()
  to?: string;
}

export class NamedRefResponse {
  @ApiProperty({ example: 'EVSE' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: null }) instance: string | null;
}

export class EvseOfEventResponse {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) connectorId: number | null;
}

export class MonitoringEventResponse {
  @ApiProperty({ example: '1042', description: "Kilowatt's id of the stored item" }) id: string;
  @ApiProperty({ type: 'integer', example: 17, description: "The station's eventId" }) eventId: number;
  @ApiProperty({
    example: '2026-12-03T10:00:00.000Z',
    description: "The station's clock, as reported (it may read 1970 until the station has set its time)",
  })
  timestamp: string;
  @ApiProperty({ example: '2026-12-03T10:00:00.204Z' }) receivedAt: string;
  @ApiProperty({ enum: EVENT_TRIGGERS, example: 'Alerting' }) trigger: string;
  @ApiProperty({ example: '21500' }) actualValue: string;
  @ApiProperty({ type: NamedRefResponse, example: { name: 'EVSE', instance: null } })
  component: NamedRefResponse;
  @ApiProperty({ type: NamedRefResponse, example: { name: 'Power', instance: null } })
  variable: NamedRefResponse;
  @ApiProperty({ type: EvseOfEventResponse, nullable: true, example: { id: 1, connectorId: null } })
  evse: EvseOfEventResponse | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 4,
    description: 'The severity of the monitor that fired, when Kilowatt knows it (set or reported)',
  })
  severity: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) cause: number | null;
  @ApiProperty({ type: String, nullable: true, example: null }) techCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) techInfo: string | null;
  @ApiProperty({ type: Boolean, nullable: true, example: null }) cleared: boolean | null;
  @ApiProperty({ type: String, nullable: true, example: null }) transactionId: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) variableMonitoringId: number | null;
  @ApiProperty({
    enum: ['HardWiredNotification', 'HardWiredMonitor', 'PreconfiguredMonitor', 'CustomMonitor'],
    example: 'CustomMonitor',
  })
  eventNotificationType: string;

  static of(r: StationMonitoringEventRow): MonitoringEventResponse {
    return {
      id: String(r.id),
      eventId: r.eventId,
      timestamp: r.timestamp,
      receivedAt: r.receivedAt.toISOString(),
      trigger: r.trigger,
      actualValue: r.actualValue,
      component: { name: r.componentName, instance: r.componentInstance },
      variable: { name: r.variableName, instance: r.variableInstance },
      evse: r.evseId === null ? null : { id: r.evseId, connectorId: r.connectorId },
      severity: r.severity,
      cause: r.cause,
      techCode: r.techCode,
      techInfo: r.techInfo,
      cleared: r.cleared,
      transactionId: r.transactionId,
      variableMonitoringId: r.variableMonitoringId,
      eventNotificationType: r.eventNotificationType,
    };
  }
}

export class MonitoringEventPage {
  @ApiProperty({ type: [MonitoringEventResponse] }) items: MonitoringEventResponse[];
  @ApiProperty({ type: String, nullable: true, example: null }) nextCursor: string | null;
}
