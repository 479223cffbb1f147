import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { describeEventsSocket, describeWebhooks } from './events/events-socket.docs';
import { EncryptedEnvelope } from './integrator-security/dto/key-security.dto';
import { INTEGRATOR_SECURITY_DOC, describeIntegratorSecurity } from './integrator-security/swagger-docs';
import { exampleErrorCodes } from './swagger-errors';

/** The document each app was set up with, for `openApiDocumentOf`. */
const documents = new WeakMap<INestApplication, OpenAPIObject>();

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Kilowatt open interface')
    .setDescription(
      [
        'REST API of the Kilowatt charging-station management system.',
        '',
        'Authenticate with `Authorization: Bearer <JWT>` from login, with `X-API-Key: <key>` issued to a',
        'tenant, or with a bearer token exchanged for an API key at `POST /api/v1/auth/token`.',
        '',
        'Roles: `user` (own account, idTags, sessions; public data of its tenant), `admin` (everything in its',
        'tenant), `root` (the platform). API-key scopes: `read` = GET routes open to role user; `charge` = start and',
        'stop charging; `admin` = every admin route of the key’s tenant (includes read and charge). A key never acts',
        'as root and cannot manage keys, tenants, or an account’s own login (`/auth/me`, `/auth/password`, logout).',
        'Access tokens last 15 minutes by default; refresh tokens rotate on every use. Login, refresh and',
        'token routes answer 429 with Retry-After when rate-limited.',
        '',
        'Errors always read `{ statusCode, error, message, code }`; `code` is stable.',
        'Chargers connect over OCPP 1.6J or 2.0.1 at `ws(s)://<host>/ocpp/{chargePointId}`.',
        INTEGRATOR_SECURITY_DOC,
      ].join('\n'),
    )
    .setVersion('1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Tags in the order a user meets them; operations tools (health, metrics) last.
    .addTag('auth', 'Accounts, login, tokens')
    .addTag('seed-compatible', 'The original signup, login and start/stop routes, unchanged')
    .addTag('sites', 'Locations with address, coordinates and time zone')
    .addTag('stations', 'Charge points, connectors, live status, QR codes')
    .addTag('tariffs', 'Price plans')
    .addTag('sessions', 'Charging sessions and their orders')
    .addTag('id-tags', 'RFID and app idTags')
    .addTag('reservations', 'Connector reservations')
    .addTag('commands', 'OCPP commands to chargers, firmware, diagnostics, their audit')
    .addTag('reports', 'Statistics and charging habits')
    .addTag('webhooks', 'Event subscriptions and their deliveries')
    .addTag('users', 'Accounts of a tenant and their roles')
    .addTag('api-keys', 'Tenant API keys, their signing and encryption keys')
    .addTag('security-events', 'The security audit log')
    .addTag('tenants', 'Operators of the platform (root)')
    .addTag('ops', 'Health and metrics')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = describeWebhooks(
    describeEventsSocket(
      describeIntegratorSecurity(
        SwaggerModule.createDocument(app, config, {
          extraModels: [EncryptedEnvelope],
          operationIdFactory: operationId,
        }),
      ),
    ),
  );
  markPublicOperations(document);
  exampleErrorCodes(document);
  documents.set(app, document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Kilowatt open interface',
    // Credentials entered under "Authorize" survive a reload of the page.
    swaggerOptions: { persistAuthorization: true },
  });
}

/**
 * `stations_list`, `sessions_start`, `webhooks_deliveries`: the controller's resource and the
 * handler's name, which generators and Postman turn into method names.
 */
export function operationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}_${methodKey}`;
}

/**
 * Routes that declare no security scheme are public (login, signup, health, metrics, diagnostics
 * uploads by token): `security: []` says so, where a missing key would mean "unspecified".
 */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths))
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
}

/** The committed copy of the document, at the repository root (`npm run openapi` writes it). */
export const OPENAPI_FILE = 'openapi.json';

/** The document `setupSwagger` built for this app. */
export function openApiDocumentOf(app: INestApplication): OpenAPIObject {
  const document = documents.get(app);
  if (!document) throw new Error('Swagger is not set up on this app (SWAGGER_ENABLED=false?)');
  return document;
}

/** Stable text of a document: two-space JSON with a final newline, as committed. */
export const serializeOpenApi = (document: OpenAPIObject): string => `${JSON.stringify(document, null, 2)}\n`;
