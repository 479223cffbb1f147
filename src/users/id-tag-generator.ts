import { randomInt } from 'node:crypto';

// Crockford-style alphabet: no I, L, O, U to keep printed tags readable.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An app idTag: `KW` + 18 random characters = 20, the OCPP 1.6 IdToken maximum (90 bits). */
export function generateIdTag(): string {
  let tag = 'KW';
  for (let i = 0; i < 18; i++) tag += ALPHABET[randomInt(ALPHABET.length)];
  return tag;
}
