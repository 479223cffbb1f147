import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { INT32_MAX, IsOmittable } from '../../common/validation';
import type { StationVariableRow, VariableCharacteristics } from '../device-model.tables';

export const ATTRIBUTE_TYPES = ['Actual', 'Target', 'MinSet', 'MaxSet'] as const;
export const SET_VARIABLE_STATUSES = [
  'Accepted',
  'Rejected',
  'UnknownComponent',
  'UnknownVariable',
  'NotSupportedAttributeType',
  'RebootRequired',
] as const;

/** The OCPP 2.0.1 identifierString and string[50] limits of component and variable names. */
const NAME_MAX = 50;

export class StationVariablesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'OCPPCommCtrlr', description: 'Only this component (exact name)' })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  component?: string;

  @ApiPropertyOptional({ example: 'HeartbeatInterval', description: 'Only this variable (exact name)' })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  variable?: string;
}

export class EvseRefDto {
  @ApiProperty({ type: 'integer', example: 1, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  id: number;

  @ApiPropertyOptional({ type: 'integer', example: 1, minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  connectorId?: number;
}

export class ComponentRefDto {
  @ApiProperty({ example: 'OCPPCommCtrlr', maxLength: NAME_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  name: string;

  @ApiPropertyOptional({ example: 'Main', maxLength: NAME_MAX })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  instance?: string;

  @ApiPropertyOptional({ type: EvseRefDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => EvseRefDto)
  evse?: EvseRefDto;
}

export class VariableRefDto {
  @ApiProperty({ example: 'HeartbeatInterval', maxLength: NAME_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  name: string;

  @ApiPropertyOptional({ example: 'Main', maxLength: NAME_MAX })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX)
  instance?: string;
}

export class SetVariableDto {
  @ApiProperty({ type: ComponentRefDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ComponentRefDto)
  component: ComponentRefDto;

  @ApiProperty({ type: VariableRefDto })
  @IsObject()
  @ValidateNested()
  @Type(() => VariableRefDto)
  variable: VariableRefDto;

  @ApiPropertyOptional({ enum: ATTRIBUTE_TYPES, default: 'Actual', example: 'Actual' })
  @IsOmittable()
  @IsIn(ATTRIBUTE_TYPES)
  attributeType?: (typeof ATTRIBUTE_TYPES)[number];

  @ApiProperty({ example: '600', maxLength: 1000 })
  @IsString()
  @MaxLength(1000)
  attributeValue: string;
}

export class SetVariablesDto {
  @ApiProperty({
    type: [SetVariableDto],
    minItems: 1,
    maxItems: 100,
    example: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        attributeValue: '600',
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SetVariableDto)
  setVariableData: SetVariableDto[];
}

export class SetVariableResultResponse {
  @ApiProperty({ type: ComponentRefDto })
  component: ComponentRefDto;

  @ApiProperty({ type: VariableRefDto })
  variable: VariableRefDto;

  @ApiProperty({ enum: ATTRIBUTE_TYPES, example: 'Actual' })
  attributeType: string;

  @ApiProperty({ enum: SET_VARIABLE_STATUSES, example: 'Accepted', description: "The station's answer" })
  attributeStatus: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { reasonCode: 'ValueOutOfRange' },
    description: 'The statusInfo the station added, as it sent it',
  })
  attributeStatusInfo?: Record<string, unknown>;
}

export class SetVariablesResponse {
  @ApiProperty({ type: [SetVariableResultResponse] })
  setVariableResult: SetVariableResultResponse[];
}

export class StationVariableResponse {
  @ApiProperty({ example: 'OCPPCommCtrlr' }) componentName: string;
  @ApiProperty({ type: String, nullable: true, example: null }) componentInstance: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) evseId: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) connectorId: number | null;
  @ApiProperty({ example: 'HeartbeatInterval' }) variableName: string;
  @ApiProperty({ type: String, nullable: true, example: null }) variableInstance: string | null;
  @ApiProperty({ enum: ATTRIBUTE_TYPES, example: 'Actual' }) attributeType: string;

  @ApiProperty({ type: String, nullable: true, example: '300', description: 'Null when none is known' })
  value: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['ReadOnly', 'WriteOnly', 'ReadWrite'],
    example: 'ReadWrite',
  })
  mutability: string | null;

  @ApiProperty({ type: Boolean, nullable: true, example: true }) persistent: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true, example: false }) constant: boolean | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { unit: 's', dataType: 'integer', minLimit: 1, supportsMonitoring: false },
    description: 'unit, dataType, minLimit, maxLimit, valuesList and supportsMonitoring as reported',
  })
  characteristics: VariableCharacteristics | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: SET_VARIABLE_STATUSES,
    example: 'Accepted',
    description:
      'What the station answered to the last SetVariables of this attribute; null if none was sent',
  })
  lastSetStatus: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '300',
    description: 'The value that SetVariables asked for',
  })
  lastSetValue: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T10:00:00.000Z' })
  lastSetAt: string | null;

  @ApiProperty({ example: '2026-12-03T10:00:00.000Z' }) updatedAt: string;

  static of(r: StationVariableRow): StationVariableResponse {
    return {
      componentName: r.componentName,
      componentInstance: r.componentInstance,
      evseId: r.evseId,
      connectorId: r.connectorId,
      variableName: r.variableName,
      variableInstance: r.variableInstance,
      attributeType: r.attributeType,
      value: r.value,
      mutability: r.mutability,
      persistent: r.persistent,
      constant: r.constant,
      characteristics: r.characteristics,
      lastSetStatus: r.lastSetStatus,
      lastSetValue: r.lastSetValue,
      lastSetAt: r.lastSetAt?.toISOString() ?? null,
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export class StationVariablePage {
  @ApiProperty({ type: [StationVariableResponse] }) items: StationVariableResponse[];
  @ApiProperty({ type: String, nullable: true, example: null }) nextCursor: string | null;
}
