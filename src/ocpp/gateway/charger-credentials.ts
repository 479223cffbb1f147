import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../common/passwords';

/** Prefix of a password stored under the keyed hash; argon2 hashes start with `$argon2`. */
const KEYED = 'hmac-sha256$';

/**
 * Estimated guesses (log10) a password needs for the keyed hash. 10^20 guesses at 10^10 HMACs a
 * second is 300 years, so a stolen database and its pepper together still reveal nothing: random
 * keys of 24 characters or more, or 20 random bytes as 40 hex digits (an OCPP AuthorizationKey),
 * qualify; a guessable password keeps argon2id, whose cost is what protects it.
 */
export const KEYED_HASH_MIN_GUESSES_LOG10 = 20;

let estimator: ZxcvbnFactory | undefined;
const strength = () =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    // Hex keys are mostly digits, each a l33t letter: unbounded, one 40-digit key took a second.
    l33tMaxSubstitutions: 5,
  }));

/**
 * zxcvbn, in tens of milliseconds. Below 20 characters even a random string is estimated under
 * 10^20 guesses (at most 10 per character), so those are answered without it.
 */
export const isHighEntropy = (secret: string): boolean =>
  secret.length >= KEYED_HASH_MIN_GUESSES_LOG10 &&
  strength().check(secret).guessesLog10 >= KEYED_HASH_MIN_GUESSES_LOG10;

/** The stored form of a high-entropy secret: HMAC-SHA256 under the server's pepper. */
export const keyedHash = (pepper: string, secret: string): string =>
  KEYED + createHmac('sha256', pepper).update(secret, 'utf8').digest('base64url');

export const isKeyedHash = (stored: string): boolean => stored.startsWith(KEYED);

/** `rehashed`: the keyed form to store instead, when a legacy argon2 hash matched a strong secret. */
export type CredentialMatch = { ok: false } | { ok: true; rehashed: string | null };

/**
 * Charger passwords (HTTP Basic Auth, security profiles 1 and 2). A reconnect storm checks
 * thousands a minute: a high-entropy secret is stored under a keyed fast hash (microseconds; the
 * pepper lives outside the database), a guessable one under argon2id like a person's password.
 */
export class ChargerCredentials {
  constructor(private readonly pepper: string) {}

  hash(secret: string): Promise<string> {
    return isHighEntropy(secret) ? Promise.resolve(keyedHash(this.pepper, secret)) : hashPassword(secret);
  }

  async verify(stored: string, secret: string): Promise<CredentialMatch> {
    if (isKeyedHash(stored)) {
      const expected = Buffer.from(stored);
      const given = Buffer.from(keyedHash(this.pepper, secret));
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      return ok ? { ok, rehashed: null } : { ok };
    }
    if (!(await verifyPassword(stored, secret))) return { ok: false };
    // Stored before the keyed hash existed: upgraded on this first successful login, no migration.
    return { ok: true, rehashed: isHighEntropy(secret) ? keyedHash(this.pepper, secret) : null };
  }
}
