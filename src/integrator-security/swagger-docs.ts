import type { DocumentBuilder } from '@nestjs/swagger';

/** The Swagger description of request signatures and the AES envelope (README "Integrator security"). */
export const INTEGRATOR_SECURITY_DOC = [
  '',
  '## Integrator security (per API key)',
  'An admin can require, per API key, signed requests and/or encrypted bodies (`PATCH /api/v1/api-keys/{id}/security`),',
  'after issuing the key’s signing key and encryption key (`POST /api/v1/api-keys/{id}/security/keys`, shown once).',
  '',
  '**Signature** — headers `X-Timestamp` (Unix seconds), `X-Nonce` (16–128 of `A-Z a-z 0-9 _ -`, unique per key within',
  'the window) and `X-Signature` = lowercase hex HMAC-SHA256 (base64-decoded signing key) over',
  '`<X-Timestamp>\\n<X-Nonce>\\n<METHOD>\\n<path?query as sent>\\n<hex SHA-256 of the body bytes>`.',
  'Refusals (401): `SIGNATURE_MISSING`, `SIGNATURE_INVALID`, `TIMESTAMP_OUT_OF_WINDOW` (±`SIGNATURE_WINDOW_SECONDS`, 300 by',
  'default), `NONCE_REUSED`. Responses (errors included) carry `X-Timestamp` and `X-Signature` over',
  '`<X-Timestamp>\\n<request X-Nonce>\\n<status>\\n<hex SHA-256 of the response body>`.',
  '',
  '**Envelope** — with encryption required, JSON request and success response bodies are `EncryptedEnvelope`',
  '`{ "encrypted": base64(12-byte IV ‖ AES-256-GCM ciphertext ‖ 16-byte tag) }`; a missing or corrupt envelope is',
  '400 `ENVELOPE_INVALID`. Error responses are signed, never encrypted. Encrypt first, then sign the envelope.',
  '',
  '**Quotas** — per API key and per account, per minute: `X-RateLimit-Limit`, `X-RateLimit-Remaining`,',
  '`X-RateLimit-Reset` (seconds) on every response; 429 `RATE_LIMITED` with `Retry-After` past the limit.',
].join('\n');

/** The three signature headers as header security schemes, so Swagger UI can send them. */
export function addIntegratorSecuritySchemes(builder: DocumentBuilder): DocumentBuilder {
  return builder
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Timestamp',
        description: 'Unix time in seconds of a signed request',
      },
      'signature-timestamp',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Nonce',
        description: '16–128 characters, unique per key within the window',
      },
      'signature-nonce',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Signature',
        description:
          'hex HMAC-SHA256 over "<X-Timestamp>\\n<X-Nonce>\\n<METHOD>\\n<path?query>\\n<hex sha256(body)>", for keys that require signatures',
      },
      'request-signature',
    );
}
