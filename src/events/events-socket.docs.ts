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
    '. A user receives its own sessions and its tenant’s station status, an admin everything of its tenant, root everything.',
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
