import type { OpenAPIObject } from '@nestjs/swagger';
import { EVENT_TYPES } from './domain-event';
import { CLOSE_FORBIDDEN, CLOSE_TOO_MANY, CLOSE_TOO_SLOW, CLOSE_UNAUTHORIZED } from './events.gateway';

// OpenAPI has no WebSocket operation: `/events` is described as the GET that upgrades, with its
// handshake, authentication, the messages both ways and the close codes, next to the gateway so
// the two change together.
const DESCRIPTION = [
  'A WebSocket (`ws://` or `wss://`), not a plain GET: send `Connection: Upgrade`, `Upgrade: websocket`.',
  '',
  '**Authentication**, on connect, one of: `Authorization: Bearer <access token>`, `X-API-Key: <key>`, or —',
  'for browsers, which cannot set headers — `?access_token=<access token>`.',
  '',
  '**Server → client**, JSON text frames:',
  '- first `{"ready": true, "role": "user" | "admin" | "root", "subscribed": ["*"]}`;',
  '- then one message per event: `{"id", "type", "occurredAt", "stationId", "data"}`, `type` one of ' +
    EVENT_TYPES.map((t) => `\`${t}\``).join(', ') +
    '. A user receives its own sessions and its tenant’s station status, an admin everything of its tenant (security and monitoring events included), root everything.',
  '',
  '**Client → server**: `{"subscribe": ["station.*"]}` (types or `session.*`, `station.*`, `*`) narrows the stream;',
  'answered `{"subscribed": [...]}`, or `{"error": "..."}`. Frames above 16 KiB close the socket.',
  '',
  `**Close codes**: \`${CLOSE_UNAUTHORIZED}\` no, invalid or expired credentials, or revoked since (key revoked, account`,
  `disabled or demoted, password changed, logged out everywhere; checked again every EVENTS_RECHECK_INTERVAL_MS);`,
  `\`${CLOSE_FORBIDDEN}\` an API key that requires signed or encrypted requests (use a webhook); \`${CLOSE_TOO_SLOW}\` a client`,
  `that does not read fast enough; \`${CLOSE_TOO_MANY}\` more than EVENTS_MAX_SOCKETS_PER_ACTOR sockets for one account or key.`,
  'The server pings every EVENTS_HEARTBEAT_MS and drops a client that missed a pong.',
].join('\n');

const WEBHOOK_EVENT = {
  type: 'object',
  required: ['id', 'type', 'occurredAt', 'tenantId', 'stationId', 'userId', 'data'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Unique per event: de-duplicate on it' },
    type: { type: 'string', enum: [...EVENT_TYPES, 'ping'] },
    occurredAt: { type: 'string', format: 'date-time' },
    tenantId: { type: 'string', format: 'uuid' },
    stationId: { type: 'string', format: 'uuid', nullable: true },
    userId: { type: 'string', format: 'uuid', nullable: true, description: "The session's owner" },
    data: {
      type: 'object',
      additionalProperties: true,
      description:
        'session.*: the session (id, status, connectorId, energyWh, cost…); station.status_changed: connectorId, status, errorCode; ' +
        "station.security_event: stationId, chargePointId, type, timestamp (the station's clock, as reported), techInfo (or null); " +
        'station.monitoring_event (an Alerting or Delta NotifyEvent item): stationId, chargePointId, eventId, timestamp, trigger, ' +
        'actualValue, component, variable, evse, severity, techCode, techInfo, cleared, variableMonitoringId',
    },
  },
  example: {
    id: 'c7a4e2d0-1f3b-4e5a-8c6d-9b0a1e2f3c4d',
    type: 'session.completed',
    occurredAt: '2026-11-22T10:30:00.000Z',
    tenantId: '6f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c',
    stationId: '3b0e8c2a-5d1f-4e6a-9b7c-8d9e0f1a2b3c',
    userId: '9d432f1c-6f1d-4d8e-9a11-0b6f3a5252d4',
    data: { sessionId: '0b5c3c1e-8f0e-4c3a-9d59-2a4f1d1c7e11', energyWh: 12000 },
  },
};

const SIGNATURE_HEADERS = [
  ['webhook-id', 'The delivery id, the same on every retry (Standard Webhooks)'],
  ['webhook-timestamp', 'Unix seconds when this attempt was signed'],
  [
    'webhook-signature',
    '`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the secret\'s bytes',
  ],
  ['X-Kilowatt-Event', 'The event type'],
  ['X-Kilowatt-Delivery', 'The delivery id'],
  ['X-Kilowatt-Timestamp', 'Unix seconds (the older header pair)'],
  [
    'X-Kilowatt-Signature',
    '`sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed with the secret string',
  ],
].map(([name, description]) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
}));

/**
 * The POSTs Kilowatt sends to webhook URLs, one entry per event type, under `x-webhooks` (OpenAPI
 * 3.1's `webhooks`, which 3.0 documents lack; Redoc shows them). The body is `WebhookEvent`.
 */
export function describeWebhooks(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.WebhookEvent = WEBHOOK_EVENT as never;
  const deliveries: Record<string, unknown> = {};
  for (const type of [...EVENT_TYPES, 'ping'])
    deliveries[type] = {
      post: {
        operationId: `webhook_${type.replace(/\W/g, '_')}`,
        summary: type === 'ping' ? 'A test delivery (POST /api/v1/webhooks/{id}/test)' : `The ${type} event`,
        tags: ['webhooks'],
        // The receiver authenticates the delivery by its signature headers.
        security: [],
        parameters: SIGNATURE_HEADERS,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEvent' } } },
        },
        responses: {
          '200': { description: 'Any 2xx within WEBHOOK_TIMEOUT_MS: delivered; anything else is retried' },
        },
      },
    };
  (document as unknown as Record<string, unknown>)['x-webhooks'] = deliveries;
  return document;
}

/** Adds `GET /events` (the live socket) to the document. */
export function describeEventsSocket(document: OpenAPIObject): OpenAPIObject {
  document.paths['/events'] = {
    get: {
      operationId: 'eventsSocket',
      tags: ['webhooks'],
      summary: 'Live events over a WebSocket: station status and session progress',
      description: DESCRIPTION,
      security: [{ bearer: [] }, { 'api-key': [] }],
      parameters: [
        {
          name: 'access_token',
          in: 'query',
          required: false,
          description: 'An access token, for browsers (instead of the Authorization header)',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '101': {
          description: 'Switching Protocols: the socket is open; see the description for its messages',
        },
        '404': {
          description: 'A plain GET without the WebSocket handshake',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
        },
      },
    },
  };
  return document;
}
