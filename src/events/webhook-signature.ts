import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * A new webhook secret in the Standard Webhooks form: `whsec_` and the base64 of 32 random bytes,
 * which a receiver's Standard Webhooks library takes as it is.
 */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The headers that sign one delivery attempt. `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` follow the Standard Webhooks specification (HMAC-SHA256 keyed with the
 * secret's decoded bytes, of `"<id>.<timestamp>.<body>"`, as `v1,<base64>`); `X-Kilowatt-Timestamp`
 * and `X-Kilowatt-Signature` are the older header pair, kept for receivers written against it.
 * Secrets issued before the standard headers are base64url after `whsec_`; Node decodes both
 * alphabets, so they sign the same way.
 */
export function signatureHeaders(
  secret: string,
  deliveryId: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  const decoded = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  // A secret with nothing to decode (never issued by Kilowatt) is keyed by its text instead.
  const key = decoded.length > 0 ? decoded : Buffer.from(secret);
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': new Webhook(key, { format: 'raw' }).sign(
      deliveryId,
      new Date(timestamp * 1000),
      body,
    ),
    'X-Kilowatt-Timestamp': String(timestamp),
    'X-Kilowatt-Signature': signWebhook(secret, timestamp, body),
  };
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the value of `X-Kilowatt-Signature`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (and what the README shows): recompute, compare in constant time, and
 * refuse stale timestamps so a captured request cannot be replayed later.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Delay before the retry that follows failed attempt `attempt` (1-based): base, 3×base, 9×base… capped. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 3 ** Math.max(0, attempt - 1));
}
