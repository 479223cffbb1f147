import { DomainError } from '../../common/domain-error';

/** What a secret is replaced with wherever it would be stored or shown. */
export const REDACTED = '***';

/**
 * Configuration keys whose value is a secret. OCPP 1.6 security whitepaper: AuthorizationKey is
 * write-only and must never be shown. Compared without case, as some chargers spell keys freely.
 */
const SECRET_KEYS = new Set(['authorizationkey']);

export const isSecretConfigurationKey = (key: unknown): boolean =>
  typeof key === 'string' && SECRET_KEYS.has(key.toLowerCase());

/** The one-time token of a diagnostics upload URL (`…/diagnostics-uploads/{token}/…`). */
const UPLOAD_TOKEN = /(\/diagnostics-uploads\/)[^/?#\s"'\\]+/g;
/** The password of a URL's user information (an FTP location for diagnostics or firmware). */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/:@\s"'\\]*:)[^@/\s"'\\]+@/gi;
/** A secret key's value in text that is not parsed JSON (a malformed frame, an error description). */
const KEY_THEN_VALUE = /("key"\s*:\s*"authorizationkey"[^{}]*?"value"\s*:\s*")(?:[^"\\]|\\.)*"/gi;
const VALUE_THEN_KEY = /("value"\s*:\s*")(?:[^"\\]|\\.)*("[^{}]*?"key"\s*:\s*"authorizationkey")/gi;

export function redactText(text: string): string {
  let out = text;
  if (out.includes('/diagnostics-uploads/')) out = out.replace(UPLOAD_TOKEN, `$1${REDACTED}`);
  if (out.includes('@') && out.includes('://')) out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
  if (/authorizationkey/i.test(out))
    out = out.replace(KEY_THEN_VALUE, `$1${REDACTED}"`).replace(VALUE_THEN_KEY, `$1${REDACTED}$2`);
  return out;
}

/**
 * A frame, request or reply with its secrets masked: the value of a `{ key, value }` entry whose
 * key is a secret configuration key (ChangeConfiguration.req, GetConfiguration.conf), and in any
 * string the token of a diagnostics upload URL and the password of a URL (`ftp://user:pw@host`). Pure: the input is never changed (the
 * gateway logs frames that are still to be sent), and it is returned as is when nothing is secret,
 * so the frames of a busy charger cost a walk, not a copy.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

// Secrets sit a few levels down in an OCPP payload; deeper nesting (a hostile frame) is left
// as it is, so the stack stays bounded.
const MAX_DEPTH = 32;

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const masked = redact(item, depth + 1);
      if (masked !== item) (copy ??= [...value])[i] = masked;
    });
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const entry = value as Record<string, unknown>;
  const secret = isSecretConfigurationKey(entry.key) && 'value' in entry;
  let copy: Record<string, unknown> | null = secret ? { ...entry, value: REDACTED } : null;
  for (const [k, v] of Object.entries(entry)) {
    if (secret && k === 'value') continue;
    const masked = redact(v, depth + 1);
    if (masked !== v) (copy ??= { ...entry })[k] = masked;
  }
  return copy ?? value;
}

/**
 * An error to answer with instead of `err` when its message or details may echo a secret (a
 * charger's CALLERROR description quoting the request): every `secrets` string and upload token
 * masked. Other errors pass unchanged.
 */
export function redactError(err: unknown, secrets: string[] = []): unknown {
  if (!(err instanceof DomainError)) return err;
  const mask = (text: string) =>
    secrets.reduce((t, s) => (s.length > 0 ? t.split(s).join(REDACTED) : t), redactText(text));
  const maskAll = (v: unknown): unknown =>
    typeof v === 'string'
      ? mask(v)
      : Array.isArray(v)
        ? v.map(maskAll)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskAll(x)]))
          : v;
  const message = mask(err.message);
  const details = err.details && (maskAll(err.details) as DomainError['details']);
  if (message === err.message && JSON.stringify(details) === JSON.stringify(err.details)) return err;
  return new DomainError(err.code, message, details);
}
