import type { ReportedVariable } from '../../commands/device-model';
import { requireStorableIds } from './ids';

/** One entry of a NotifyReport's reportData (OCPP 2.0.1 ReportDataType). */
export interface ReportData {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  variableAttribute: {
    type?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet';
    value?: string;
    mutability?: 'ReadOnly' | 'WriteOnly' | 'ReadWrite';
    persistent?: boolean;
    constant?: boolean;
  }[];
  variableCharacteristics?: {
    unit?: string;
    dataType: string;
    minLimit?: number;
    maxLimit?: number;
    valuesList?: string;
    supportsMonitoring: boolean;
  };
}

export interface NotifyReportRequest {
  requestId: number;
  generatedAt: string;
  tbc?: boolean;
  seqNo: number;
  reportData?: ReportData[];
}

/**
 * Every attribute of a NotifyReport part, one row each. The 2.0.1 defaults apply to what the
 * station left out (type Actual, mutability ReadWrite, persistent and constant false: B07 and the
 * VariableAttributeType definition); the characteristics are kept as sent. An EVSE or connector
 * number no column holds is a PropertyConstraintViolation for the whole part.
 */
export function reportedVariables(reportData: readonly ReportData[] | undefined): ReportedVariable[] {
  return (reportData ?? []).flatMap(
    ({ component, variable, variableAttribute, variableCharacteristics: c }) => {
      requireStorableIds({ evseId: component.evse?.id, connectorId: component.evse?.connectorId });
      const characteristics =
        c === undefined
          ? null
          : {
              ...(c.unit !== undefined && { unit: c.unit }),
              dataType: c.dataType,
              ...(c.minLimit !== undefined && { minLimit: c.minLimit }),
              ...(c.maxLimit !== undefined && { maxLimit: c.maxLimit }),
              ...(c.valuesList !== undefined && { valuesList: c.valuesList }),
              supportsMonitoring: c.supportsMonitoring,
            };
      return variableAttribute.map((a) => ({
        componentName: component.name,
        componentInstance: component.instance ?? null,
        evseId: component.evse?.id ?? null,
        connectorId: component.evse?.connectorId ?? null,
        variableName: variable.name,
        variableInstance: variable.instance ?? null,
        attributeType: a.type ?? 'Actual',
        value: a.value ?? null,
        mutability: a.mutability ?? 'ReadWrite',
        persistent: a.persistent ?? false,
        constant: a.constant ?? false,
        characteristics,
      }));
    },
  );
}
