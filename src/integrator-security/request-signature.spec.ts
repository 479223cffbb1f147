import * as client from '../../examples/typescript-client/kilowatt-client';
import { IV_BYTES, decrypt, encrypt, envelopeOf } from './envelope';
import {
  canonicalRequest,
  canonicalResponse,
  hmacHex,
  sameSignature,
  withinWindow,
} from './request-signature';

// The README's worked example ("Integrator security"): keep both in step.
const SIGNING_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='; // bytes 0x00..0x1f
const ENCRYPTION_KEY = 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8='; // bytes 0x20..0x3f
const IV = Buffer.from('000102030405060708090a0b', 'hex');
const NONCE = '4f1c2b7a9d4e4f5a8b6c7d8e9f0a1b2c';
const PLAINTEXT = '{"name":"Depot North","city":"Berlin"}';
const ENCRYPTED = 'AAECAwQFBgcICQoLJ3AzxidQydaevay2SQd+cnwCnQxIPYRyTXmqmIGjif1esntTOWJTYoiyrq8nL4QcJHdRRjJe';
const ENVELOPE = `{"encrypted":"${ENCRYPTED}"}`;
const key = (b64: string) => Buffer.from(b64, 'base64');

const requestVectors = [
  {
    name: 'an encrypted POST (the envelope is what is signed)',
    parts: {
      timestamp: '1700000000',
      nonce: NONCE,
      method: 'POST',
      pathWithQuery: '/api/v1/sites',
      body: ENVELOPE,
    },
    canonical: `1700000000\n${NONCE}\nPOST\n/api/v1/sites\nbef862fedfff9776dcc8dbcb6d3ebf44178e991bbd7bcd41c3219c79e61bd0db`,
    signature: '7de9446da0b05e255853148a420de56899f5e8deb1a9e8b999f8fcc329af89e0',
  },
  {
    name: 'a GET with a query and no body',
    parts: {
      timestamp: '1700000000',
      nonce: NONCE,
      method: 'get',
      pathWithQuery: '/api/v1/stations?limit=10',
      body: '',
    },
    canonical: `1700000000\n${NONCE}\nGET\n/api/v1/stations?limit=10\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    signature: 'd392c1095d691779d073bb2bfce0a6aa2bfda7933c6ee21d3ea0d73963c8b166',
  },
];

describe('request signatures (fixed vectors)', () => {
  it.each(requestVectors)('signs $name identically on the server and in the example client', (v) => {
    expect(canonicalRequest(v.parts)).toBe(v.canonical);
    expect(hmacHex(key(SIGNING_KEY), v.canonical)).toBe(v.signature);
    const p = v.parts;
    const clientCanonical = client.canonicalRequest(p.timestamp, p.nonce, p.method, p.pathWithQuery, p.body);
    expect(clientCanonical).toBe(v.canonical);
    expect(client.sign(SIGNING_KEY, clientCanonical)).toBe(v.signature);
  });

  it('signs a response over its timestamp, the request nonce, the status and the body', () => {
    const body = '{"items":[],"nextCursor":null}';
    const canonical = canonicalResponse({ timestamp: '1700000001', requestNonce: NONCE, status: 200, body });
    expect(canonical).toBe(
      `1700000001\n${NONCE}\n200\nd47160c01f441269d023ff1a0e5126668c511828d22da948a5f6f4ed033367a5`,
    );
    const signature = hmacHex(key(SIGNING_KEY), canonical);
    expect(signature).toBe('5f39309a9fbca00f7a0144ed35b9daf82335177ce369d21d438b69f3f94ed5a3');
    const headers = { timestamp: '1700000001', signature };
    expect(client.verifyResponse(SIGNING_KEY, NONCE, 200, headers, body)).toBe(true);
    expect(client.verifyResponse(SIGNING_KEY, NONCE, 201, headers, body)).toBe(false);
    expect(client.verifyResponse(SIGNING_KEY, 'another-nonce-0000', 200, headers, body)).toBe(false);
    expect(client.verifyResponse(SIGNING_KEY, NONCE, 200, headers, body.replace('null', '"x"'))).toBe(false);
  });

  it.each([
    ['the right signature', '7de9446da0b05e255853148a420de56899f5e8deb1a9e8b999f8fcc329af89e0', true],
    [
      'the right signature in upper case',
      '7DE9446DA0B05E255853148A420DE56899F5E8DEB1A9E8B999F8FCC329AF89E0',
      true,
    ],
    ['one changed digit', '7de9446da0b05e255853148a420de56899f5e8deb1a9e8b999f8fcc329af89e1', false],
    ['a truncated signature', '7de9446da0b05e255853148a420de568', false],
    ['not hex at all', 'not-a-signature', false],
  ])('compares %s in constant time: %s', (_name, presented, ok) => {
    expect(sameSignature(requestVectors[0].signature, presented)).toBe(ok);
  });

  it.each([
    [1700000000, 1700000000, true],
    [1700000000 - 300, 1700000000, true],
    [1700000000 + 300, 1700000000, true],
    [1700000000 - 301, 1700000000, false],
    [1700000000 + 301, 1700000000, false],
  ])('timestamp %d at server time %d is within ±300 s: %s', (ts, now, ok) => {
    expect(withinWindow(ts, now, 300)).toBe(ok);
  });
});

describe('AES-256-GCM envelope (fixed vectors)', () => {
  it('encrypts the fixed plaintext with the fixed IV to the fixed envelope, on both sides', () => {
    expect(encrypt(key(ENCRYPTION_KEY), PLAINTEXT, IV)).toBe(ENCRYPTED);
    expect(client.encrypt(ENCRYPTION_KEY, PLAINTEXT, IV)).toBe(ENCRYPTED);
    expect(decrypt(key(ENCRYPTION_KEY), ENCRYPTED)?.toString('utf8')).toBe(PLAINTEXT);
    expect(client.decrypt(ENCRYPTION_KEY, ENCRYPTED)).toBe(PLAINTEXT);
  });

  it('uses a fresh random IV when none is given', () => {
    const a = encrypt(key(ENCRYPTION_KEY), PLAINTEXT);
    const b = encrypt(key(ENCRYPTION_KEY), PLAINTEXT);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').subarray(0, IV_BYTES)).not.toEqual(
      Buffer.from(b, 'base64').subarray(0, IV_BYTES),
    );
  });

  const flipped = (b64: string, index: number) => {
    const raw = Buffer.from(b64, 'base64');
    raw[index < 0 ? raw.length + index : index] ^= 0x01;
    return raw.toString('base64');
  };

  it.each([
    ['a flipped IV bit', flipped(ENCRYPTED, 0)],
    ['a flipped ciphertext bit', flipped(ENCRYPTED, 14)],
    ['a flipped tag bit', flipped(ENCRYPTED, -1)],
    ['a truncated envelope', ENCRYPTED.slice(0, 20)],
    ['text that is not base64', 'not base64 at all!'],
    ['an empty string', ''],
  ])('refuses %s', (_name, envelope) => {
    expect(decrypt(key(ENCRYPTION_KEY), envelope)).toBeNull();
  });

  it('refuses the envelope under another key', () => {
    expect(decrypt(key(SIGNING_KEY), ENCRYPTED)).toBeNull();
  });

  it.each([
    [{ encrypted: ENCRYPTED }, ENCRYPTED],
    [{ encrypted: ENCRYPTED, name: 'x' }, null],
    [{ encrypted: 42 }, null],
    [{ name: 'Depot North' }, null],
    [[ENCRYPTED], null],
    [null, null],
  ])('reads the envelope of %j as %j', (body, expected) => {
    expect(envelopeOf(body)).toBe(expected);
  });
});
