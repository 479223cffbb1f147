import { Controller, Get, INestApplication, NotFoundException, Param } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { API_ERRORS_KEY, ApiErrors, DeclaredErrorsInterceptor, UndeclaredErrors } from './api-errors';
import { DomainError, ErrorCode } from './domain-error';
import { HttpExceptionFilter } from './http-exception.filter';

@Controller('probe')
class ProbeController {
  @Get(':code')
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'no such probe' })
  @ApiErrors('STATION_OFFLINE', 'CONNECTOR_BUSY')
  answer(@Param('code') code: string): string {
    if (code === 'ok') return 'ok';
    if (code === 'NEST_404') throw new NotFoundException();
    throw new DomainError(code as ErrorCode, code);
  }
}

describe('ApiErrors', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [ProbeController],
      providers: [UndeclaredErrors, { provide: APP_INTERCEPTOR, useClass: DeclaredErrorsInterceptor }],
    }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpExceptionFilter());
    await app.init();
  });
  afterAll(() => app.close());

  it('adds up the codes of several declarations on one route', () => {
    const codes = Reflect.getMetadata(API_ERRORS_KEY, ProbeController.prototype.answer) as ErrorCode[];
    expect([...codes].sort()).toEqual([
      'CONNECTOR_BUSY',
      'NOT_FOUND',
      'STATION_OFFLINE',
      'VALIDATION_FAILED',
    ]);
  });

  it("writes one Swagger answer per status naming each code, with the route's own meaning where given", () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const responses = doc.paths['/probe/{code}'].get!.responses as Record<string, { description: string }>;
    expect(Object.keys(responses).sort()).toEqual(['400', '404', '409']);
    expect(responses['404'].description).toBe('`NOT_FOUND`: no such probe');
    expect(responses['409'].description).toContain('`STATION_OFFLINE`: the charger is not connected');
    expect(responses['409'].description).toContain('`CONNECTOR_BUSY`');
    expect(responses['400'].description).toContain('`VALIDATION_FAILED`');
  });

  it('records a code the route answers without declaring it, once, and nothing for declared ones', async () => {
    const undeclared = app.get(UndeclaredErrors);
    await request(app.getHttpServer()).get('/probe/ok').expect(200);
    await request(app.getHttpServer()).get('/probe/NOT_FOUND').expect(404);
    await request(app.getHttpServer()).get('/probe/CONNECTOR_BUSY').expect(409);
    expect(undeclared.list()).toEqual([]);
    await request(app.getHttpServer()).get('/probe/NO_TARIFF').expect(409);
    await request(app.getHttpServer()).get('/probe/NO_TARIFF').expect(409);
    // An HttpException counts as its status's code, as the error filter answers it.
    await request(app.getHttpServer()).get('/probe/CONFLICT').expect(409);
    expect(undeclared.list()).toEqual(['GET /probe/:code CONFLICT', 'GET /probe/:code NO_TARIFF']);
  });
});

describe('error answers are declared only through @ApiErrors', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory()
        ? files(path)
        : path.endsWith('.ts') && !path.endsWith('.spec.ts')
          ? [path]
          : [];
    });
  const ERROR_DECORATOR =
    /\bApi(BadRequest|Unauthorized|Forbidden|NotFound|Conflict|Gone|PayloadTooLarge|UnsupportedMediaType|UnprocessableEntity|TooManyRequests|InternalServerError|BadGateway|ServiceUnavailable|GatewayTimeout)Response\b|ApiResponse\(\{\s*status:\s*[45]\d\d/;

  it('finds no hand-written error response decorator in src/', () => {
    const offenders = files(join(__dirname, '..')).filter((f) =>
      ERROR_DECORATOR.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('would find one', () => {
    expect(ERROR_DECORATOR.test('@ApiNotFoundResponse({ type: ErrorResponse })')).toBe(true);
    expect(ERROR_DECORATOR.test('ApiResponse({ status: 502, type: ErrorResponse })')).toBe(true);
  });
});
