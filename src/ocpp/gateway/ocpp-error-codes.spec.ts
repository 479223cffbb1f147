import { as16ErrorCode, ocppErrorCodeOf, rewriteCallError, schemaErrorCode16 } from './ocpp-error-codes';

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
    rewriteCallError(frame, 'ocpp1.6');
    expect(frame).toEqual([4, 'm1', 'PropertyConstraintViolation', 'bad', { errors: [{ keyword: 'enum' }] }]);
  });

  it('leaves a handler CALLERROR without schema errors to the plain code map', () => {
    const frame = [4, 'm2', 'RpcFrameworkError', 'not JSON', {}];
    rewriteCallError(frame, 'ocpp1.6');
    expect(frame[2]).toBe('FormationViolation');
  });

  describe('on an ocpp2.0.1 socket', () => {
    it.each([
      ['required', 'OccurrenceConstraintViolation'],
      ['type', 'TypeConstraintViolation'],
      ['maxLength', 'PropertyConstraintViolation'],
    ])('a schema failure on %s is %s', (keyword, code) => {
      const frame = [4, 'm3', 'FormatViolation', 'bad', { errors: [{ keyword }] }];
      rewriteCallError(frame, 'ocpp2.0.1');
      expect(frame[2]).toBe(code);
    });

    it.each([
      ['RpcFrameworkError', 'RpcFrameworkError'],
      ['MessageTypeNotSupported', 'MessageTypeNotSupported'],
      ['FormatViolation', 'FormatViolation'],
      ['OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
    ])('keeps 2.0.1 framework code %s as %s', (given, expected) => {
      const frame = [4, 'm4', given, 'x', {}];
      rewriteCallError(frame, 'ocpp2.0.1');
      expect(frame[2]).toBe(expected);
    });

    it('spells a handler error in 2.0.1 words', () => {
      expect(ocppErrorCodeOf('ENVELOPE_INVALID', 'ocpp2.0.1')).toBe('FormatViolation');
      expect(ocppErrorCodeOf('ENVELOPE_INVALID', 'ocpp1.6')).toBe('FormationViolation');
      expect(ocppErrorCodeOf('PAYLOAD_TOO_LARGE', 'ocpp2.0.1')).toBe('OccurrenceConstraintViolation');
    });
  });
});
