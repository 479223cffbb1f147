import fc from 'fast-check';
import { type ReportData, reportedVariables } from './device-model';

const name = fc.string({ minLength: 1, maxLength: 50 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const reportData: fc.Arbitrary<ReportData> = fc.record(
  {
    component: fc.record(
      {
        name,
        instance: maybe(name),
        evse: maybe(fc.record({ id: fc.nat(100), connectorId: maybe(fc.nat(10)) }, { requiredKeys: ['id'] })),
      },
      { requiredKeys: ['name'] },
    ),
    variable: fc.record({ name, instance: maybe(name) }, { requiredKeys: ['name'] }),
    variableAttribute: fc.array(
      fc.record(
        {
          type: fc.constantFrom('Actual' as const, 'Target' as const, 'MinSet' as const, 'MaxSet' as const),
          value: fc.string({ maxLength: 2500 }),
          mutability: fc.constantFrom('ReadOnly' as const, 'WriteOnly' as const, 'ReadWrite' as const),
          persistent: fc.boolean(),
          constant: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    variableCharacteristics: maybe(
      fc.record(
        {
          unit: maybe(fc.string({ maxLength: 16 })),
          dataType: fc.constantFrom('string', 'integer', 'decimal', 'boolean'),
          minLimit: maybe(fc.double({ noNaN: true })),
          maxLimit: maybe(fc.double({ noNaN: true })),
          supportsMonitoring: fc.boolean(),
        },
        { requiredKeys: ['dataType', 'supportsMonitoring'] },
      ),
    ),
  },
  { requiredKeys: ['component', 'variable', 'variableAttribute'] },
);

describe('reportedVariables', () => {
  it('gives one row per attribute, each carrying its component, variable and value', () => {
    fc.assert(
      fc.property(fc.array(reportData, { maxLength: 20 }), (data) => {
        const rows = reportedVariables(data);
        const attributes = data.flatMap((d) => d.variableAttribute.map((a) => ({ d, a })));
        expect(rows).toHaveLength(attributes.length);
        rows.forEach((row, i) => {
          const { d, a } = attributes[i];
          expect(row).toMatchObject({
            componentName: d.component.name,
            componentInstance: d.component.instance ?? null,
            evseId: d.component.evse?.id ?? null,
            connectorId: d.component.evse?.connectorId ?? null,
            variableName: d.variable.name,
            variableInstance: d.variable.instance ?? null,
            attributeType: a.type ?? 'Actual',
            value: a.value ?? null,
          });
          // No undefined reaches the database: every column is a value or null.
          expect(Object.values(row).every((v) => v !== undefined)).toBe(true);
          expect(Object.values(row.characteristics ?? {}).every((v) => v !== undefined)).toBe(true);
        });
      }),
    );
  });

  it.each([
    ['type', 'Actual'],
    ['mutability', 'ReadWrite'],
    ['persistent', false],
    ['constant', false],
  ] as const)('defaults a missing %s to %p', (field, expected) => {
    const [row] = reportedVariables([
      { component: { name: 'C' }, variable: { name: 'V' }, variableAttribute: [{}] },
    ]);
    expect(row[field === 'type' ? 'attributeType' : field]).toBe(expected);
    expect(row.value).toBeNull();
    expect(row.characteristics).toBeNull();
  });

  it('answers an empty or missing reportData with no rows', () => {
    expect(reportedVariables(undefined)).toEqual([]);
    expect(reportedVariables([])).toEqual([]);
  });

  it('refuses an EVSE number no integer column holds', () => {
    const data = [
      {
        component: { name: 'EVSE', evse: { id: 2 ** 31 } },
        variable: { name: 'V' },
        variableAttribute: [{}],
      },
    ];
    expect(() => reportedVariables(data)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
