import { DomainError } from '../common/domain-error';
import { chargerTime, chargerTimeOr } from './charger-time';

describe('chargerTime', () => {
  it.each([
    ['2026-12-03T12:00:00Z', '2026-12-03T12:00:00.000Z'],
    ['2026-12-03T12:00:00.123+01:00', '2026-12-03T11:00:00.123Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['2016-12-31T23:59:60.500Z', '2017-01-01T00:00:00.500Z'],
    ['2015-06-30t23:59:60+00:00', '2015-07-01T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(chargerTime(text, 'timestamp').toISOString()).toBe(expected);
  });

  it.each([['0000-01-01T00:00:00Z'], ['0000-12-31T23:59:59.999Z'], ['yesterday'], ['']])(
    'refuses %p, naming the field',
    (text) => {
      expect(() => chargerTime(text, 'timestamp')).toThrow(DomainError);
      expect(() => chargerTime(text, 'timestamp')).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: { fields: [expect.objectContaining({ field: 'timestamp' })] },
        }),
      );
    },
  );
});

describe('chargerTimeOr', () => {
  const fallback = new Date('2026-12-03T12:00:00Z');
  it.each([
    [undefined, fallback.toISOString()],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['0000-01-01T00:00:00Z', fallback.toISOString()],
    ['not a time', fallback.toISOString()],
  ])('reads %p as %s', (text, expected) => {
    expect(chargerTimeOr(text, fallback).toISOString()).toBe(expected);
  });
});
