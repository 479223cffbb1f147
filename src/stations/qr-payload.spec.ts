import { DomainError } from '../common/domain-error';
import { connectorQrPayload, parseConnectorQr } from './qr-payload';

const failure = (text: unknown) => {
  try {
    parseConnectorQr(text);
  } catch (e) {
    return e;
  }
  throw new Error(`accepted ${String(text)}`);
};

describe('parseConnectorQr', () => {
  it.each([
    ['ocpp://CP001?connector=1', 'CP001', 1],
    ['ocpp://CP001?connector=12', 'CP001', 12],
    ['  ocpp://CP001?connector=2\n', 'CP001', 2],
    ['OCPP://CP001?connector=1', 'CP001', 1],
    ['ocpp://CP%2F001?connector=1', 'CP/001', 1],
    ['ocpp://M%C3%BCnchen-1?connector=3', 'München-1', 3],
    ['ocpp://CP%3F1%26x?connector=1', 'CP?1&x', 1],
    ['ocpp://cp.01_a-b~c?connector=4', 'cp.01_a-b~c', 4],
    ['ocpp://CP001?connector=1&evse=DE*ABC*E1', 'CP001', 1],
    ['ocpp://CP001?lang=de&connector=7', 'CP001', 7],
  ] as [string, string, number][])('reads %s', (text, chargePointId, connectorId) => {
    expect(parseConnectorQr(text)).toEqual({ chargePointId, connectorId });
  });

  it.each([
    ['http://CP001?connector=1', 'must start with ocpp://'],
    ['ocpp:CP001?connector=1', 'must start with ocpp://'],
    ['ocp://CP001?connector=1', 'must start with ocpp://'],
    ['', 'must start with ocpp://'],
    ['ocpp://?connector=1', 'has no charge point id'],
    ['ocpp://CP001', 'has no connector parameter'],
    ['ocpp://CP001?', 'has no connector parameter'],
    ['ocpp://CP001?connector=', 'connector must be a positive integer'],
    ['ocpp://CP001?connector=0', 'connector must be a positive integer'],
    ['ocpp://CP001?connector=-1', 'connector must be a positive integer'],
    ['ocpp://CP001?connector=01', 'connector must be a positive integer'],
    ['ocpp://CP001?connector=1.5', 'connector must be a positive integer'],
    ['ocpp://CP001?connector=abc', 'connector must be a positive integer'],
    ['ocpp://CP001?connector=1&connector=2', 'more than one connector parameter'],
    ['ocpp://CP001/extra?connector=1', 'must not carry a path'],
    ['ocpp://CP001?connector=1#top', 'must not carry a fragment'],
    ['ocpp://CP%ZZ?connector=1', 'not valid percent-encoding'],
    ['ocpp://CP%20001?connector=1', 'spaces or control characters'],
    [`ocpp://${'A'.repeat(49)}?connector=1`, 'longer than 48'],
  ])('refuses %j (%s)', (text, reason) => {
    const e = failure(text) as DomainError;
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain(reason);
    expect(e.details?.fields).toEqual([{ field: 'qr', errors: [e.message] }]);
  });

  it('refuses what is not a string', () => {
    expect((failure(42) as DomainError).code).toBe('VALIDATION_FAILED');
  });
});

describe('connectorQrPayload', () => {
  it.each([
    ['CP001', 1, 'ocpp://CP001?connector=1'],
    ['CP/001', 2, 'ocpp://CP%2F001?connector=2'],
    ['CP?1&x', 1, 'ocpp://CP%3F1%26x?connector=1'],
    ['München-1', 3, 'ocpp://M%C3%BCnchen-1?connector=3'],
  ])('writes %s connector %d as %s, which reads back', (id, n, payload) => {
    expect(connectorQrPayload(id, n)).toBe(payload);
    expect(parseConnectorQr(payload)).toEqual({ chargePointId: id, connectorId: n });
  });

  it.each([
    ['', 1],
    ['CP001', 0],
    ['CP001', -2],
    ['CP001', 1.5],
  ])('refuses id %j with connector %d', (id, n) => {
    expect(() => connectorQrPayload(id, n)).toThrow(DomainError);
  });
});
