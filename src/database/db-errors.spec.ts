import { constraintOf, isForeignKeyViolation, isUniqueViolation, pgCodeOf } from './db-errors';

const unique = {
  code: '23505',
  constraint: 'charging_sessions_live_connector_key',
  message: 'duplicate key',
};
const foreignKey = { code: '23503', constraint: 'id_tags_user_id_fk' };
// Drizzle's DrizzleQueryError carries the driver's error as its cause.
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: insert ...'), { cause });

describe('db-errors', () => {
  it.each([
    ['a bare unique violation', unique, '23505', true, false],
    ['a wrapped unique violation', wrapped(unique), '23505', true, false],
    ['a twice-wrapped foreign-key violation', wrapped(wrapped(foreignKey)), '23503', false, true],
    [
      'an error that only mentions a duplicate key',
      new Error('duplicate key value'),
      undefined,
      false,
      false,
    ],
    ['no error at all', undefined, undefined, false, false],
  ])('reads %s', (_name, error, code, unique, foreignKey) => {
    expect(pgCodeOf(error)).toBe(code);
    expect(isUniqueViolation(error)).toBe(unique);
    expect(isForeignKeyViolation(error)).toBe(foreignKey);
  });

  it('matches a named constraint only when the names agree', () => {
    expect(constraintOf(wrapped(unique))).toBe('charging_sessions_live_connector_key');
    expect(isUniqueViolation(wrapped(unique), 'charging_sessions_live_connector_key')).toBe(true);
    expect(isUniqueViolation(wrapped(unique), 'charging_sessions_live_id_tag_key')).toBe(false);
    expect(isForeignKeyViolation(foreignKey, 'id_tags_user_id_fk')).toBe(true);
  });
});
