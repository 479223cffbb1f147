import { Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The 200 answer of a route that serves another media type than JSON, or several by content
 * negotiation (JSON or CSV), each with its schema: a DTO class or a schema object. Error answers
 * stay JSON (`ErrorResponse`), which `@ApiProduces` would have relabelled too.
 */
export function ApiOkContent(
  description: string,
  content: Record<string, Type<unknown> | SchemaObject>,
): MethodDecorator {
  const models = Object.values(content).filter((c): c is Type<unknown> => typeof c === 'function');
  return applyDecorators(
    ...(models.length ? [ApiExtraModels(...models)] : []),
    ApiOkResponse({
      description,
      content: Object.fromEntries(
        Object.entries(content).map(([mediaType, c]) => [
          mediaType,
          { schema: typeof c === 'function' ? { $ref: getSchemaPath(c) } : c },
        ]),
      ),
    }),
  );
}

export const CSV: SchemaObject = { type: 'string', description: 'RFC 4180 CSV with a header row' };
export const BINARY: SchemaObject = { type: 'string', format: 'binary' };
