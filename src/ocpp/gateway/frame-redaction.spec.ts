import fc from 'fast-check';
import { DomainError } from '../../common/domain-error';
import { REDACTED, redactError, redactSecrets, redactText } from './frame-redaction';

const KEY = 'f3c1a9e07b5d42c8a6e1f0b9d3c7a5e2b4d6f8a0';
const TOKEN = 'kL9_x-2mQpR7vT4wY8zA1bC3dE5fG6hJ0nS-uV_WXy';
const URL = `http://csms.example.com/api/v1/diagnostics-uploads/${TOKEN}`;

describe('redactSecrets', () => {
  it.each<[string, unknown, unknown]>([
    [
      'ChangeConfiguration.req of AuthorizationKey',
      [2, 'm1', 'ChangeConfiguration', { key: 'AuthorizationKey', value: KEY }],
      [2, 'm1', 'ChangeConfiguration', { key: 'AuthorizationKey', value: REDACTED }],
    ],
    [
      'the key spelled in another case',
      { key: 'authorizationKEY', value: KEY },
      { key: 'authorizationKEY', value: REDACTED },
    ],
    [
      'GetConfiguration.conf from a charger that reports the write-only key',
      [3, 'm2', { configurationKey: [{ key: 'AuthorizationKey', readonly: false, value: KEY }] }],
      [3, 'm2', { configurationKey: [{ key: 'AuthorizationKey', readonly: false, value: REDACTED }] }],
    ],
    [
      'GetDiagnostics.req with our upload URL',
      [2, 'm3', 'GetDiagnostics', { location: `${URL}`, retries: 1 }],
      [
        2,
        'm3',
        'GetDiagnostics',
        { location: `http://csms.example.com/api/v1/diagnostics-uploads/${REDACTED}`, retries: 1 },
      ],
    ],
    [
      'a CALLERROR whose description quotes the URL with a file name',
      [4, 'm4', 'InternalError', `cannot reach ${URL}/diag.zip`, {}],
      [
        4,
        'm4',
        'InternalError',
        `cannot reach http://csms.example.com/api/v1/diagnostics-uploads/${REDACTED}/diag.zip`,
        {},
      ],
    ],
    [
      'the raw text of a malformed frame',
      { raw: `[2,"m5","ChangeConfiguration",{"key":"AuthorizationKey","value":"${KEY}"}` },
      { raw: `[2,"m5","ChangeConfiguration",{"key":"AuthorizationKey","value":"${REDACTED}"}` },
    ],
    [
      'raw text with the value before the key',
      { raw: `{"value":"${KEY}", "readonly":false, "key":"AuthorizationKey"}` },
      { raw: `{"value":"${REDACTED}", "readonly":false, "key":"AuthorizationKey"}` },
    ],
    [
      'another configuration key',
      [2, 'm6', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' }],
      [2, 'm6', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' }],
    ],
    [
      'an operator-given upload location elsewhere',
      { location: 'ftp://logs.example.com/upload/CP001' },
      { location: 'ftp://logs.example.com/upload/CP001' },
    ],
    [
      'the password of an FTP location given by an operator',
      [2, 'm8', 'UpdateFirmware', { location: 'ftp://fw:s3cr%40t@ftp.example.com/fw.bin' }],
      [2, 'm8', 'UpdateFirmware', { location: `ftp://fw:${REDACTED}@ftp.example.com/fw.bin` }],
    ],
    [
      'a URL with a user but no password, and an e-mail address',
      { location: 'ftp://fw@ftp.example.com/x', note: 'ops@example.com: see http://x.example/a' },
      { location: 'ftp://fw@ftp.example.com/x', note: 'ops@example.com: see http://x.example/a' },
    ],
    ['null', null, null],
  ])('%s', (_name, input, expected) => {
    const before = JSON.stringify(input);
    expect(redactSecrets(input)).toEqual(expected);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('returns a frame without secrets as the same object (no copy per frame)', () => {
    const frame = [
      2,
      'm7',
      'MeterValues',
      { connectorId: 1, meterValue: [{ sampledValue: [{ value: '10' }] }] },
    ];
    expect(redactSecrets(frame)).toBe(frame);
  });

  it('never leaves the key or the token anywhere in any frame that carries them', () =>
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom('AuthorizationKey', 'authorizationkey'),
        fc.boolean(),
        (noise, keyName, asUrl) => {
          const secretPart = asUrl ? { location: URL } : { key: keyName, value: KEY };
          const frame = [2, 'x', 'Action', { noise, nested: [noise, secretPart] }];
          const text = JSON.stringify(redactSecrets(frame));
          expect(text).not.toContain(KEY);
          expect(text).not.toContain(TOKEN);
          expect(redactText(JSON.stringify(frame))).not.toContain(asUrl ? TOKEN : KEY);
        },
      ),
    ));
});

describe('redactError', () => {
  it('masks the given secrets and upload tokens in the message and details', () => {
    const err = new DomainError('CHARGER_ERROR', `CP1 rejected ${KEY}`, {
      ocppErrorCode: 'InternalError',
      ocppErrorDescription: `bad location ${URL}/x.zip, key ${KEY}`,
    });
    const masked = redactError(err, [KEY]) as DomainError;
    expect(masked).toBeInstanceOf(DomainError);
    expect(masked.code).toBe('CHARGER_ERROR');
    expect(JSON.stringify([masked.message, masked.details])).not.toMatch(new RegExp(`${KEY}|${TOKEN}`));
    expect(masked.details?.ocppErrorCode).toBe('InternalError');
  });

  it('passes an error without secrets unchanged', () => {
    const err = new DomainError('CHARGER_TIMEOUT', 'CP1 did not answer in time');
    expect(redactError(err, [KEY])).toBe(err);
    const other = new Error(KEY);
    expect(redactError(other, [KEY])).toBe(other);
  });
});

describe('redactSecrets on hostile nesting', () => {
  it('returns a frame nested 10 000 deep without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const frame = { vendorId: 'x', data: deep };
    expect(redactSecrets(frame)).toBe(frame);
  });
});
