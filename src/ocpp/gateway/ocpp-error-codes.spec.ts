import { as16ErrorCode, rewriteCallError16, schemaErrorCode16 } from './ocpp-error-codes';

describe('OCPP 1.6 CALLERROR codes', () => {
  it.each([
    ['type', 'TypeConstraintViolation'],
    ['required', 'OccurrenceConstraintViolation'],
    ['maxItems', 'OccurrenceConstraintViolation'],
    ['enum', 'PropertyConstraintViolation'],
    ['maxLength', 'PropertyConstraintViolation'],
    ['minimum', 'PropertyConstraintViolation'],
    ['format', 'PropertyConstraintViolation'],
    ['additionalProperties', 'PropertyConstraintViolation'],
  ])('maps a failing %s keyword to %s', (keyword, code) => {
    expect(schemaErrorCode16(keyword, 'FormatViolation')).toBe(code);
  });

  it.each([
    ['RpcFrameworkError', 'FormationViolation'],
    ['FormatViolation', 'FormationViolation'],
    ['MessageTypeNotSupported', 'ProtocolError'],
    ['OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
    ['NotImplemented', 'NotImplemented'],
    ['SecurityError', 'SecurityError'],
  ])('rewrites %s as %s', (given, expected) => {
    expect(as16ErrorCode(given)).toBe(expected);
  });

  it('rewrites a schema CALLERROR frame in place and drops the echoed payload', () => {
    const frame = [4, 'm1', 'FormatViolation', 'bad', { errors: [{ keyword: 'enum' }], data: { big: 'x' } }];
    rewriteCallError16(frame);
    expect(frame).toEqual([4, 'm1', 'PropertyConstraintViolation', 'bad', { errors: [{ keyword: 'enum' }] }]);
  });

  it('leaves a handler CALLERROR without schema errors to the plain code map', () => {
    const frame = [4, 'm2', 'RpcFrameworkError', 'not JSON', {}];
    rewriteCallError16(frame);
    expect(frame[2]).toBe('FormationViolation');
  });
});
