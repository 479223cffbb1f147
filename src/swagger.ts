import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Kilowatt open interface')
    .setDescription(
      [
        'REST API of the Kilowatt charging-station management system.',
        '',
        'Authenticate with `Authorization: Bearer <JWT>` from login, with `X-API-Key: <key>` issued to a',
        'tenant, or with a bearer token exchanged for an API key at `POST /api/v1/auth/token`.',
        'Errors always read `{ statusCode, error, message, code }`; `code` is stable.',
        'Chargers connect over OCPP 1.6J at `ws(s)://<host>/ocpp/{chargePointId}`.',
      ].join('\n'),
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
