import fc from 'fast-check';
import { type VariableKey, chunksOf, keyOf, lastPerKey } from './device-model';

const key: fc.Arbitrary<VariableKey & { value: number }> = fc.record({
  componentName: fc.constantFrom('A', 'B'),
  componentInstance: fc.constantFrom(null, 'x'),
  evseId: fc.constantFrom(null, 0, 1),
  connectorId: fc.constantFrom(null, 1),
  variableName: fc.constantFrom('V', 'W'),
  variableInstance: fc.constantFrom(null, 'y'),
  attributeType: fc.constantFrom('Actual', 'Target'),
  value: fc.nat(),
});

describe('lastPerKey', () => {
  it('keeps exactly one item per key, the last one given, in key order', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), (items) => {
        const kept = lastPerKey(items);
        const keys = kept.map(keyOf);
        expect(new Set(keys).size).toBe(kept.length);
        expect(new Set(items.map(keyOf)).size).toBe(kept.length);
        expect([...keys].sort()).toEqual(keys);
        for (const k of kept) expect(k).toBe([...items].reverse().find((i) => keyOf(i) === keyOf(k)));
      }),
    );
  });

  it('tells null from an empty or "null" instance', () => {
    const base = {
      componentName: 'A',
      evseId: null,
      connectorId: null,
      variableName: 'V',
      variableInstance: null,
      attributeType: 'Actual',
    };
    const items = [null, '', 'null'].map((componentInstance) => ({ ...base, componentInstance }));
    expect(lastPerKey(items)).toHaveLength(3);
  });
});

describe('chunksOf', () => {
  it('splits into runs of at most the size, in order, losing nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 50 }), (items, size) => {
        const chunks = chunksOf(items, size);
        expect(chunks.flat()).toEqual(items);
        expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true);
      }),
    );
  });
});
