import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The AES-256-GCM envelope: `{ "encrypted": base64(iv ‖ ciphertext ‖ tag) }` with a 12-byte IV
 * and a 16-byte tag, no additional authenticated data. The key is 32 random bytes per API key.
 */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export function encrypt(
  key: Buffer,
  plaintext: Buffer | string,
  iv: Buffer = randomBytes(IV_BYTES),
  aad?: Buffer,
): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}

/** The plaintext, or null for anything that is not a valid envelope under this key. */
export function decrypt(key: Buffer, encoded: string, aad?: Buffer): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const raw = Buffer.from(encoded, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

/** The `encrypted` field of a parsed JSON body that is exactly an envelope, else null. */
export function envelopeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const keys = Object.keys(body);
  const value = (body as { encrypted?: unknown }).encrypted;
  return keys.length === 1 && typeof value === 'string' ? value : null;
}
