import { createHash } from 'node:crypto';
import { decrypt, encrypt } from './envelope';

/**
 * Per-key signing and encryption keys are symmetric, so the server must keep them. They are stored
 * AES-256-GCM-encrypted under a key derived from KEY_ENCRYPTION_SECRET, with the API key id and the
 * key's purpose as additional data: a value copied to another row or column does not decrypt.
 */
export class AtRestCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`kilowatt-key-encryption:${secret}`, 'utf8').digest();
  }

  seal(apiKeyId: string, purpose: 'signing' | 'encryption', value: Buffer): string {
    return encrypt(this.key, value, undefined, Buffer.from(`${apiKeyId}:${purpose}`));
  }

  open(apiKeyId: string, purpose: 'signing' | 'encryption', sealed: string): Buffer {
    const value = decrypt(this.key, sealed, Buffer.from(`${apiKeyId}:${purpose}`));
    // Only a changed KEY_ENCRYPTION_SECRET gets here: a configuration fault, not the caller's.
    if (!value)
      throw new Error(
        `The ${purpose} key of API key ${apiKeyId} does not decrypt; was KEY_ENCRYPTION_SECRET changed?`,
      );
    return value;
  }
}
