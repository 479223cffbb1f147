import * as argon2 from 'argon2';

// argon2id with the library's defaults (m=64 MiB, t=3, p=4), as OWASP recommends.
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, so an unknown username costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;
export const timingDummyHash = () => (dummyHash ??= hashPassword('kilowatt-timing-equaliser'));
