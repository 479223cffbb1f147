import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request and response signatures of the open interface (README "Integrator security").
 * The signing key is 32 random bytes, handed to the client base64-encoded; the HMAC uses the raw bytes.
 *
 * request:  X-Signature = hex(HMAC-SHA256(key, "<X-Timestamp>\n<X-Nonce>\n<METHOD>\n<path?query>\n<hex(SHA-256(body))>"))
 * response: X-Signature = hex(HMAC-SHA256(key, "<X-Timestamp>\n<request X-Nonce>\n<status>\n<hex(SHA-256(body))>"))
 *
 * X-Timestamp is whole Unix seconds. The body is the exact bytes on the wire (for an encrypted
 * request, the envelope as sent: encrypt, then sign); an empty body hashes to SHA-256("").
 */
export const sha256Hex = (body: Buffer | string): string => createHash('sha256').update(body).digest('hex');

export interface SignedRequestParts {
  timestamp: string;
  nonce: string;
  method: string;
  /** The path and query exactly as in the request line, e.g. `/api/v1/stations?limit=10`. */
  pathWithQuery: string;
  body: Buffer | string;
}

export const canonicalRequest = (r: SignedRequestParts): string =>
  [r.timestamp, r.nonce, r.method.toUpperCase(), r.pathWithQuery, sha256Hex(r.body)].join('\n');

export interface SignedResponseParts {
  timestamp: string;
  /** The X-Nonce of the request being answered (empty when it sent none). */
  requestNonce: string;
  status: number;
  body: Buffer | string;
}

export const canonicalResponse = (r: SignedResponseParts): string =>
  [r.timestamp, r.requestNonce, String(r.status), sha256Hex(r.body)].join('\n');

export const hmacHex = (key: Buffer, canonical: string): string =>
  createHmac('sha256', key).update(canonical, 'utf8').digest('hex');

/** Constant-time comparison of a presented hex signature with the expected one. */
export function sameSignature(expectedHex: string, presented: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(presented)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(presented.toLowerCase(), 'hex'));
}

/** Nonces: 16 to 128 characters of base64url / hex / UUID alphabet. */
export const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
export const TIMESTAMP = /^\d{1,12}$/;

/** Whether a timestamp (Unix seconds) lies within ±windowSeconds of now. */
export const withinWindow = (timestamp: number, nowSeconds: number, windowSeconds: number): boolean =>
  Math.abs(nowSeconds - timestamp) <= windowSeconds;
