/**
 * A small, dependency-free Kilowatt client (Node 20+: node:crypto and fetch) that signs requests,
 * encrypts bodies, and verifies and decrypts responses, as described in the README's
 * "Integrator security" section. Copy it into your project.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export const sha256Hex = (body: Buffer | string): string => createHash('sha256').update(body).digest('hex');

/** `<timestamp>\n<nonce>\n<METHOD>\n<path?query>\n<hex sha256(body)>` */
export function canonicalRequest(
  timestamp: string,
  nonce: string,
  method: string,
  pathWithQuery: string,
  body: string,
): string {
  return [timestamp, nonce, method.toUpperCase(), pathWithQuery, sha256Hex(body)].join('\n');
}

/** `<response X-Timestamp>\n<request X-Nonce>\n<status>\n<hex sha256(body)>` */
export function canonicalResponse(
  timestamp: string,
  requestNonce: string,
  status: number,
  body: Buffer | string,
): string {
  return [timestamp, requestNonce, String(status), sha256Hex(body)].join('\n');
}

/** Hex HMAC-SHA256 with the base64 signing key. */
export function sign(signingKeyB64: string, canonical: string): string {
  return createHmac('sha256', Buffer.from(signingKeyB64, 'base64')).update(canonical, 'utf8').digest('hex');
}

/** `base64(iv ‖ ciphertext ‖ tag)` under AES-256-GCM; pass `iv` only to reproduce test vectors. */
export function encrypt(
  encryptionKeyB64: string,
  plaintext: string,
  iv: Buffer = randomBytes(IV_BYTES),
): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(encryptionKeyB64, 'base64'), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}

/** Throws when the envelope was not made with this key or was altered. */
export function decrypt(encryptionKeyB64: string, encrypted: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    Buffer.from(encryptionKeyB64, 'base64'),
    raw.subarray(0, IV_BYTES),
  );
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}

export interface SignatureHeaders {
  'X-Timestamp': string;
  'X-Nonce': string;
  'X-Signature': string;
}

/** The three headers for a request; `body` is the exact string sent (the envelope when encrypting). */
export function signatureHeaders(
  signingKeyB64: string,
  method: string,
  pathWithQuery: string,
  body: string,
  opts: { timestamp?: string; nonce?: string } = {},
): SignatureHeaders {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const signature = sign(signingKeyB64, canonicalRequest(timestamp, nonce, method, pathWithQuery, body));
  return { 'X-Timestamp': timestamp, 'X-Nonce': nonce, 'X-Signature': signature };
}

/** Whether a response's X-Signature matches its status and body bytes for the request's nonce. */
export function verifyResponse(
  signingKeyB64: string,
  requestNonce: string,
  status: number,
  headers: { timestamp: string | null; signature: string | null },
  body: Buffer | string,
): boolean {
  if (!headers.timestamp || !headers.signature || !/^[0-9a-f]{64}$/.test(headers.signature)) return false;
  const expected = sign(signingKeyB64, canonicalResponse(headers.timestamp, requestNonce, status, body));
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(headers.signature, 'hex'));
}

export interface KilowattClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Base64 signing key: requests are signed and responses verified when set. */
  signingKey?: string;
  /** Base64 encryption key: JSON bodies travel in the AES-256-GCM envelope when set. */
  encryptionKey?: string;
  fetch?: typeof fetch;
}

export interface KilowattResponse<T> {
  status: number;
  /** The decrypted JSON body (an error body is never encrypted). */
  body: T;
  headers: Headers;
  /** True when the response signature checked out; undefined when no signing key is configured. */
  verified?: boolean;
}

export class KilowattClient {
  constructor(private readonly opts: KilowattClientOptions) {}

  async request<T = unknown>(
    method: string,
    pathWithQuery: string,
    payload?: unknown,
  ): Promise<KilowattResponse<T>> {
    const { signingKey, encryptionKey } = this.opts;
    let body = payload === undefined ? '' : JSON.stringify(payload);
    if (body && encryptionKey) body = JSON.stringify({ encrypted: encrypt(encryptionKey, body) });
    const headers: Record<string, string> = { 'X-API-Key': this.opts.apiKey, Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    let nonce = '';
    if (signingKey) {
      const signed = signatureHeaders(signingKey, method, pathWithQuery, body);
      nonce = signed['X-Nonce'];
      Object.assign(headers, signed);
    }
    const res = await (this.opts.fetch ?? fetch)(new URL(pathWithQuery, this.opts.baseUrl), {
      method,
      headers,
      body: body || undefined,
    });
    const raw = Buffer.from(await res.arrayBuffer());
    const verified = signingKey
      ? verifyResponse(
          signingKey,
          nonce,
          res.status,
          { timestamp: res.headers.get('x-timestamp'), signature: res.headers.get('x-signature') },
          raw,
        )
      : undefined;
    let parsed: unknown = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    const envelope = (parsed as { encrypted?: unknown } | undefined)?.encrypted;
    if (encryptionKey && typeof envelope === 'string') parsed = JSON.parse(decrypt(encryptionKey, envelope));
    return { status: res.status, body: parsed as T, headers: res.headers, verified };
  }
}
