import fc from 'fast-check';
import { validateSync } from 'class-validator';
import { DomainError } from './domain-error';
import { decodeCursor, encodeCursor } from './pagination';
import { IsDecimal, MAX_INPUT_DEPTH, isStorableText, storableValue, unstorableField } from './validation';

/** Strings over every UTF-16 code unit: NULs and unpaired surrogates come often. */
const anyCodeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
});
const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : [nested(depth - 1)]);

describe('unstorableField', () => {
  it.each([
    ['a NUL', { name: 'a\u0000b' }, 'name'],
    ['a lone high surrogate', { a: { b: ['ok', '\ud800x'] } }, 'a.b.1'],
    ['a lone low surrogate', { email: 'x\udc00@y.de' }, 'email'],
    ['a NUL in a key', { ['k\u0000']: 1 }, 'k\u0000'],
  ])('names the field holding %s', (_what, value, field) => {
    expect(unstorableField(value, '')?.field).toBe(field);
  });

  it('takes well-formed text, paired surrogates (emoji) included', () => {
    expect(unstorableField({ name: 'Ladepunkt 🔌 Süd', n: 1, list: [null, true] }, '')).toBeNull();
  });

  it(`refuses nesting past ${MAX_INPUT_DEPTH} levels without recursing (3 000 levels)`, () => {
    expect(unstorableField(nested(MAX_INPUT_DEPTH), '')).toBeNull();
    expect(unstorableField(nested(MAX_INPUT_DEPTH + 1), '')?.field).toBe('body');
    expect(unstorableField(nested(3000), '')?.field).toBe('body');
  });

  it('agrees with isStorableText on any string', () => {
    fc.assert(
      fc.property(anyCodeUnits, (s) => {
        expect(unstorableField({ s }, '') === null).toBe(isStorableText(s));
      }),
    );
  });
});

describe('storableValue', () => {
  it('leaves nothing unstorable, changes nothing storable, and returns the same value when clean', () => {
    fc.assert(
      fc.property(
        fc.dictionary(anyCodeUnits, fc.oneof(anyCodeUnits, fc.array(anyCodeUnits), fc.integer())),
        (v) => {
          const out = storableValue(v);
          expect(unstorableField(out, '')).toBeNull();
          expect(storableValue(out)).toBe(out);
          if (unstorableField(v, '') === null) expect(out).toBe(v);
        },
      ),
    );
  });
});

describe('decodeCursor', () => {
  it('reads back every cursor it made', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.uuid(),
        (at, id) => {
          const k = at.toISOString();
          expect(decodeCursor(encodeCursor({ k, id }), 'timestamp')).toEqual({ k, id });
        },
      ),
    );
  });

  it('answers anything else with VALIDATION_FAILED naming cursor, never another error', () => {
    const raw = fc.oneof(
      anyCodeUnits,
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc.record({ k: anyCodeUnits, id: anyCodeUnits }).map((c) => encodeCursor(c)),
    );
    fc.assert(
      fc.property(raw, fc.constantFrom('timestamp', 'micros', 'number', 'text'), (s, key) => {
        try {
          const c = decodeCursor(s, key, 'uuid');
          expect(c === null || typeof c.k === 'string').toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
          expect((e as DomainError).details?.fields?.[0].field).toBe('cursor');
        }
      }),
    );
  });
});

describe('IsDecimal', () => {
  class Rate {
    @IsDecimal(4)
    rate!: unknown;
  }
  it.each([
    [19, true],
    [19.1234, true],
    [0, true],
    [19.12345, false],
    [3e-323, false],
    [1e-7, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['19', false],
  ])('judges %p: %p', (rate, valid) => {
    const errors = validateSync(Object.assign(new Rate(), { rate }));
    expect(errors.length === 0).toBe(valid);
  });
});

describe('storableValue on hostile nesting', () => {
  it('returns a value nested 10 000 deep without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(storableValue(deep)).toBe(deep);
  });
});
