import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 suffices for 256-bit random secrets: nothing to brute-force, and it is fast per request. */
export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export const randomSecret = () => randomBytes(32).toString('base64url');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const PREFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** The visible part of an API key: 12 characters, about 60 bits, unique. */
export function apiKeyPrefix(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const b of bytes) out += PREFIX_ALPHABET[b % PREFIX_ALPHABET.length];
  return out;
}

const API_KEY = /^kw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const formatApiKey = (prefix: string, secret: string) => `kw_${prefix}_${secret}`;

export function parseApiKey(raw: string): { prefix: string; secret: string } | null {
  const m = API_KEY.exec(raw.trim());
  return m ? { prefix: m[1], secret: m[2] } : null;
}
