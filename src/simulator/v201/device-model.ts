/**
 * The simulated station's OCPP 2.0.1 device model: a few components of the standardized ones
 * (OCPP 2.0.1 Part 2, Appendices) with their variables, reported in NotifyReport parts and changed
 * by SetVariables the way a firmware does it.
 */

type Mutability = 'ReadOnly' | 'WriteOnly' | 'ReadWrite';

export interface ComponentRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

export interface VariableRef {
  name: string;
  instance?: string;
}

interface SimVariable {
  component: ComponentRef;
  variable: VariableRef;
  value: string;
  mutability: Mutability;
  dataType: 'string' | 'integer' | 'boolean' | 'OptionList' | 'SequenceList' | 'decimal';
  unit?: string;
  minLimit?: number;
  maxLimit?: number;
  valuesList?: string;
  /** A change takes effect only after a reboot: SetVariables answers RebootRequired. */
  rebootRequired?: boolean;
}

export type SetVariableStatus =
  | 'Accepted'
  | 'Rejected'
  | 'UnknownComponent'
  | 'UnknownVariable'
  | 'NotSupportedAttributeType'
  | 'RebootRequired';

const componentKey = (c: ComponentRef) =>
  JSON.stringify([c.name, c.instance ?? null, c.evse?.id ?? null, c.evse?.connectorId ?? null]);
const variableKey = (c: ComponentRef, v: VariableRef) =>
  JSON.stringify([componentKey(c), v.name, v.instance ?? null]);

function initialVariables(evses: number): SimVariable[] {
  const station: SimVariable[] = [
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      value: '300',
      mutability: 'ReadWrite',
      dataType: 'integer',
      unit: 's',
      minLimit: 1,
    },
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'NetworkConfigurationPriority' },
      value: '1',
      mutability: 'ReadWrite',
      dataType: 'SequenceList',
      valuesList: '1',
      rebootRequired: true,
    },
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'MessageTimeout', instance: 'Default' },
      value: '30',
      mutability: 'ReadOnly',
      dataType: 'integer',
      unit: 's',
    },
    {
      component: { name: 'SecurityCtrlr' },
      variable: { name: 'SecurityProfile' },
      value: '1',
      mutability: 'ReadOnly',
      dataType: 'integer',
      minLimit: 0,
      maxLimit: 3,
    },
    {
      component: { name: 'SecurityCtrlr' },
      variable: { name: 'OrganizationName' },
      value: 'Kilowatt',
      mutability: 'ReadWrite',
      dataType: 'string',
    },
    {
      component: { name: 'SecurityCtrlr' },
      variable: { name: 'Identity' },
      value: '',
      mutability: 'ReadOnly',
      dataType: 'string',
    },
    {
      component: { name: 'SampledDataCtrlr' },
      variable: { name: 'TxUpdatedInterval' },
      value: '30',
      mutability: 'ReadWrite',
      dataType: 'integer',
      unit: 's',
      minLimit: 0,
    },
    {
      component: { name: 'SampledDataCtrlr' },
      variable: { name: 'TxUpdatedMeasurands' },
      value: 'Energy.Active.Import.Register',
      mutability: 'ReadWrite',
      dataType: 'SequenceList',
      valuesList: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import',
    },
    {
      component: { name: 'AuthCtrlr' },
      variable: { name: 'AuthorizeRemoteStart' },
      value: 'false',
      mutability: 'ReadWrite',
      dataType: 'boolean',
    },
    {
      component: { name: 'AuthCtrlr' },
      variable: { name: 'LocalAuthorizeOffline' },
      value: 'true',
      mutability: 'ReadWrite',
      dataType: 'boolean',
    },
    {
      component: { name: 'DeviceDataCtrlr' },
      variable: { name: 'ItemsPerMessage', instance: 'GetReport' },
      value: '10',
      mutability: 'ReadOnly',
      dataType: 'integer',
    },
    {
      component: { name: 'DeviceDataCtrlr' },
      variable: { name: 'ItemsPerMessage' },
      value: '50',
      mutability: 'ReadOnly',
      dataType: 'integer',
    },
    {
      component: { name: 'ChargingStation' },
      variable: { name: 'AvailabilityState' },
      value: 'Available',
      mutability: 'ReadOnly',
      dataType: 'OptionList',
      valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
    },
  ];
  const perEvse = Array.from({ length: evses }, (_, i): SimVariable[] => {
    const evse = { id: i + 1 };
    const connector = { id: i + 1, connectorId: 1 };
    return [
      {
        component: { name: 'EVSE', evse },
        variable: { name: 'AvailabilityState' },
        value: 'Available',
        mutability: 'ReadOnly',
        dataType: 'OptionList',
        valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
      },
      {
        component: { name: 'EVSE', evse },
        variable: { name: 'Power' },
        value: '22000',
        mutability: 'ReadOnly',
        dataType: 'decimal',
        unit: 'W',
        maxLimit: 22000,
      },
      {
        component: { name: 'Connector', evse: connector },
        variable: { name: 'ConnectorType' },
        value: 'cType2',
        mutability: 'ReadOnly',
        dataType: 'string',
      },
    ];
  });
  return [...station, ...perEvse.flat()];
}

export class SimulatedDeviceModel {
  private readonly variables = new Map<string, SimVariable>();
  private readonly components = new Set<string>();

  constructor(evses: number) {
    for (const v of initialVariables(evses)) {
      this.variables.set(variableKey(v.component, v.variable), v);
      this.components.add(componentKey(v.component));
    }
  }

  /** The Actual value of a variable of a component without instance or EVSE. */
  get(component: string, variable: string): string | undefined {
    return this.variables.get(variableKey({ name: component }, { name: variable }))?.value;
  }

  /** Sets a value as the station itself would (no mutability check). */
  put(component: string, variable: string, value: string): void {
    const v = this.variables.get(variableKey({ name: component }, { name: variable }));
    if (v) v.value = value;
  }

  read(
    component: ComponentRef,
    variable: VariableRef,
  ): { status: 'Accepted' | 'UnknownComponent' | 'UnknownVariable'; value?: string } {
    const v = this.variables.get(variableKey(component, variable));
    if (v)
      return v.mutability === 'WriteOnly' ? { status: 'Accepted' } : { status: 'Accepted', value: v.value };
    return { status: this.components.has(componentKey(component)) ? 'UnknownVariable' : 'UnknownComponent' };
  }

  /** SetVariables for one attribute (B05): only Actual values, only writable ones, within the limits. */
  set(
    component: ComponentRef,
    variable: VariableRef,
    value: string,
    attributeType = 'Actual',
  ): SetVariableStatus {
    const v = this.variables.get(variableKey(component, variable));
    if (!v) return this.components.has(componentKey(component)) ? 'UnknownVariable' : 'UnknownComponent';
    if (attributeType !== 'Actual') return 'NotSupportedAttributeType';
    if (v.mutability === 'ReadOnly' || !valid(v, value)) return 'Rejected';
    v.value = value;
    return v.rebootRequired ? 'RebootRequired' : 'Accepted';
  }

  /** The reportData of a FullInventory, in parts of at most `perPart` entries. */
  reportParts(perPart: number): object[][] {
    const data = [...this.variables.values()].map((v) => ({
      component: v.component,
      variable: v.variable.instance === undefined ? { name: v.variable.name } : v.variable,
      variableAttribute: [
        {
          type: 'Actual',
          ...(v.mutability !== 'WriteOnly' && { value: v.value }),
          mutability: v.mutability,
          persistent: true,
          constant: v.mutability === 'ReadOnly',
        },
      ],
      variableCharacteristics: {
        dataType: v.dataType,
        ...(v.unit !== undefined && { unit: v.unit }),
        ...(v.minLimit !== undefined && { minLimit: v.minLimit }),
        ...(v.maxLimit !== undefined && { maxLimit: v.maxLimit }),
        ...(v.valuesList !== undefined && { valuesList: v.valuesList }),
        supportsMonitoring: false,
      },
    }));
    const parts: object[][] = [];
    for (let i = 0; i < data.length; i += perPart) parts.push(data.slice(i, i + perPart));
    return parts;
  }
}

function valid(v: SimVariable, value: string): boolean {
  switch (v.dataType) {
    case 'integer':
    case 'decimal': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || (v.dataType === 'integer' && !Number.isInteger(n)))
        return false;
      return (v.minLimit === undefined || n >= v.minLimit) && (v.maxLimit === undefined || n <= v.maxLimit);
    }
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'OptionList':
      return (v.valuesList ?? '').split(',').includes(value);
    case 'SequenceList':
      return value.split(',').every((item) => (v.valuesList ?? '').split(',').includes(item));
    default:
      return true;
  }
}
