import type { OpenAPIObject } from '@nestjs/swagger';

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

// No schema example: Swagger UI's "Try it out" fills a field with its example and sends it, so
// an example signature would make every API-key request fail with SIGNATURE_INVALID.
const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header' as const,
  required: false,
  description: `${description} (e.g. \`${example}\`)`,
  schema: { type: 'string' as const },
});

/** The signature headers as reusable parameters; API-key routes list them (required only for keys that say so). */
const SIGNATURE_PARAMETERS = {
  XTimestamp: header(
    'X-Timestamp',
    'Signed requests: Unix time in whole seconds (±SIGNATURE_WINDOW_SECONDS)',
    '1700000000',
  ),
  XNonce: header(
    'X-Nonce',
    'Signed requests: 16–128 of A-Z a-z 0-9 _ -, unique per key within the window',
    '4f1c2b7a9d4e4f5a8b6c7d8e9f0a1b2c',
  ),
  XSignature: header(
    'X-Signature',
    'Signed requests: hex HMAC-SHA256 over "<X-Timestamp>\\n<X-Nonce>\\n<METHOD>\\n<path?query>\\n<hex sha256(body)>"; required when the API key requires signatures',
    '7de9446da0b05e255853148a420de56899f5e8deb1a9e8b999f8fcc329af89e0',
  ),
};

const RESPONSE_HEADERS = {
  'X-Timestamp': { description: 'Signed responses: server time, Unix seconds', schema: { type: 'string' } },
  'X-Signature': {
    description:
      'Signed responses: hex HMAC-SHA256 over "<X-Timestamp>\\n<request X-Nonce>\\n<status>\\n<hex sha256(body)>"',
    schema: { type: 'string' },
  },
  'X-RateLimit-Limit': {
    description: 'Requests allowed per minute for this key or account',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current minute',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

type Operation = {
  security?: Array<Record<string, unknown>>;
  parameters?: unknown[];
  responses?: Record<string, { headers?: Record<string, unknown> }>;
};

/**
 * Adds the signature headers to every operation an API key may call, the signature and quota
 * headers to its responses, and the components they refer to.
 */
export function describeIntegratorSecurity(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.parameters = { ...components.parameters, ...SIGNATURE_PARAMETERS };
  components.headers = {
    ...components.headers,
    ...Object.fromEntries(Object.entries(RESPONSE_HEADERS).map(([k, v]) => [k.replace(/-/g, ''), v])),
  };
  for (const path of Object.values(document.paths)) {
    for (const op of Object.values(path as Record<string, Operation>)) {
      if (!op?.security?.some((s) => 'api-key' in s)) continue;
      op.parameters = [
        ...(op.parameters ?? []),
        ...Object.keys(SIGNATURE_PARAMETERS).map((k) => ({ $ref: `#/components/parameters/${k}` })),
      ];
      for (const response of Object.values(op.responses ?? {})) {
        response.headers = {
          ...response.headers,
          ...Object.fromEntries(
            Object.keys(RESPONSE_HEADERS).map((k) => [
              k,
              { $ref: `#/components/headers/${k.replace(/-/g, '')}` },
            ]),
          ),
        };
      }
    }
  }
  return document;
}
