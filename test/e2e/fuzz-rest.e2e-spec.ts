import fc from 'fast-check';
import { TestApp, startApp } from '../app';
import { TenantsService } from '../../src/tenants/tenants.service';
import {
  TestAccount,
  aTenantWithAdmin,
  anAccount,
  anApiKey,
  theRoot,
  uniqueName,
} from '../factories/accounts';
import { aSite, aStation, aTariff } from '../factories/stations';
import { aConnectedCharger, aPricedStation, anActiveSession } from '../factories/sessions';
import {
  EventLoopWatch,
  STALL_BOUND_MS,
  anyBoundary,
  boundaryDate,
  boundaryNumber,
  boundaryString,
  forgedCursor,
  fuzzSeed,
  nested,
  percentEncode,
  seedFor,
  shortJson,
} from '../factories/fuzz';

/**
 * Every documented REST route, walked from the app's own OpenAPI document, gets bodies, query
 * strings and path parameters of the documented shape with boundary values in them. Whatever comes
 * in, the answer is below 500 and errors read `{ statusCode, error, message, code }`, and no request
 * holds the event loop longer than STALL_BOUND_MS.
 */

/** Inputs per route: about 100 routes × 20 keep the file within about 90 s on a 2-core machine. */
const RUNS_PER_ROUTE = 20;
/** Shrinking a failure stops after this long, so a route that fails does not eat the budget. */
const ROUTE_TIME_LIMIT_MS = 2500;
const REQUEST_TIMEOUT_MS = 10_000;

interface Schema {
  $ref?: string;
  type?: string | Schema;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  nullable?: boolean;
}

interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operation: Operation;
}

type Actor = 'admin' | 'root' | 'user' | 'anonymous';

interface FuzzRequest {
  actor: Actor;
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: { contentType: string; text: string } | null;
}

interface Observed {
  status: number;
  contentType: string;
  body: unknown;
  text: string;
  transportError?: string;
  stallMs: number;
}

/** The ids a fixture owns, by the resource a path names or the field a body names. */
type Ids = Record<string, string>;

const date2020s = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const isDateLike = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v);

class RouteFuzzer {
  constructor(
    private readonly doc: OpenApi,
    private readonly ids: Ids,
  ) {}

  private resolve(s: Schema | undefined): Schema {
    let node = s ?? {};
    while (node.$ref) node = this.doc.components.schemas[node.$ref.split('/').pop() ?? ''] ?? {};
    return node;
  }

  private kind(s: Schema): 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object' | 'unknown' {
    if (s.format === 'date-time' || isDateLike(s.example)) return 'date';
    if (s.type === 'array' || Array.isArray(s.example)) return 'array';
    if (s.properties) return 'object';
    const t = typeof s.example !== 'undefined' && s.example !== null ? typeof s.example : s.type;
    if (t === 'number' || t === 'integer' || t === 'bigint') return 'number';
    if (t === 'string' || t === 'boolean') return t;
    return 'unknown';
  }

  /** A value of the documented shape: an enum member, the example, a known id or a plain random one. */
  private sane(name: string, schema: Schema | undefined, depth: number): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
    if (s.properties) return this.object(s, depth + 1);
    const known = this.ids[name];
    if (known !== undefined) return fc.oneof(fc.constant(known), fc.uuid());
    if (s.format === 'uuid') return fc.uuid();
    const kind = this.kind(s);
    const example = s.example !== undefined ? [fc.constant(s.example)] : [];
    switch (kind) {
      case 'date':
        return fc.oneof(...example, date2020s);
      case 'array':
        return s.items
          ? fc.oneof(...example, fc.array(this.value(name, s.items, depth + 1), { maxLength: 3 }))
          : fc.oneof(...example, fc.constant([]));
      case 'number':
        return fc.oneof(
          ...example,
          fc.integer({ min: 0, max: 1000 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        );
      case 'boolean':
        return fc.boolean();
      case 'string':
        return fc.oneof(...example, fc.string({ maxLength: 20 }));
      default:
        return example.length > 0 ? example[0] : fc.constant(null);
    }
  }

  private boundary(s: Schema): fc.Arbitrary<unknown> {
    switch (this.kind(this.resolve(s))) {
      case 'string':
        return boundaryString();
      case 'number':
        return boundaryNumber();
      case 'date':
        return boundaryDate();
      case 'array':
        return fc.oneof(
          fc.array(anyBoundary(), { maxLength: 3 }),
          fc.constant(Array.from({ length: 2000 }, () => this.resolve(s).example ?? 'x')),
        );
      default:
        return anyBoundary();
    }
  }

  /** Mostly well-shaped, often at a boundary of its own type, sometimes anything at all. */
  value(name: string, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    if (depth > 4) return fc.constant(null);
    return fc.oneof(
      { weight: 4, arbitrary: this.sane(name, schema, depth) },
      { weight: 2, arbitrary: this.boundary(schema ?? {}) },
      { weight: 1, arbitrary: anyBoundary() },
    );
  }

  object(schema: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
    const s = this.resolve(schema);
    const props = s.properties ?? {};
    const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, this.value(k, v, depth)]));
    const required = (s.required ?? []).filter((k) => k in props);
    return fc.record(model, { requiredKeys: required });
  }

  /** A JSON body: the documented object (now and then with an unknown or prototype key), or not an object at all. */
  jsonBody(schema: Schema): fc.Arbitrary<string> {
    const extra = fc.option(
      fc.tuple(
        fc.constantFrom('__proto__', 'constructor', 'unknownField'),
        fc.constantFrom({ polluted: true }, 1),
      ),
      { freq: 8 },
    );
    const objectText = fc.tuple(this.object(schema), extra).map(([obj, more]) => {
      const text = JSON.stringify(obj);
      if (!more) return text;
      const head = `{${JSON.stringify(more[0])}:${JSON.stringify(more[1])}`;
      return text === '{}' ? `${head}}` : `${head},${text.slice(1)}`;
    });
    const notAnObject = fc.constantFrom(
      '[]',
      'null',
      '"x"',
      '1e400',
      '{"a":',
      '',
      JSON.stringify(nested(3000)),
    );
    return fc.oneof({ weight: 9, arbitrary: objectText }, { weight: 1, arbitrary: notAnObject });
  }

  /** A query or path value as text; objects and arrays come out as JSON. */
  text(name: string, schema: Schema | undefined): fc.Arbitrary<string> {
    const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    const urlSafe = (a: fc.Arbitrary<unknown>) => a.map(asText).map((v) => v.slice(0, 2000));
    const options: fc.Arbitrary<string>[] = [
      urlSafe(this.sane(name, schema, 0)),
      urlSafe(boundaryString()),
      urlSafe(boundaryNumber()),
      boundaryDate(),
    ];
    if (name === 'cursor') options.push(forgedCursor(), forgedCursor());
    return fc.oneof(...options);
  }

  /** A query parameter as one value, repeated, or in the bracket form a query parser turns into an object. */
  queryPairs(p: Parameter): fc.Arbitrary<[string, string][]> {
    const v = this.text(p.name, p.schema);
    return fc.oneof(
      { weight: 6, arbitrary: v.map((x): [string, string][] => [[p.name, x]]) },
      {
        weight: 1,
        arbitrary: fc.tuple(v, v).map(([a, b]): [string, string][] => [
          [p.name, a],
          [p.name, b],
        ]),
      },
      { weight: 1, arbitrary: v.map((x): [string, string][] => [[`${p.name}[k]`, x]]) },
    );
  }

  request(route: Route): fc.Arbitrary<FuzzRequest> {
    const params = (route.operation.parameters ?? []).filter((p): p is Parameter => !p.$ref);
    const pathParams = params.filter((p) => p.in === 'path');
    const queryParams = params.filter((p) => p.in === 'query');
    const headerParams = params.filter((p) => p.in === 'header');
    const resource = (name: string) => {
      const before = route.path.split(`/{${name}}`)[0].split('/').pop() ?? '';
      return name === 'id' ? before : name;
    };
    const path = fc.record(
      Object.fromEntries(
        pathParams.map((p) => {
          const known = this.ids[resource(p.name)];
          const real = known ? [fc.constant(known)] : [];
          return [
            p.name,
            fc.oneof({ weight: 3, arbitrary: fc.oneof(...real, fc.uuid()) }, this.text(p.name, p.schema)),
          ];
        }),
      ),
    ) as fc.Arbitrary<Record<string, string>>;
    const query = fc
      .tuple(
        ...queryParams.map((p) => fc.option(this.queryPairs(p), { freq: 2, nil: [] as [string, string][] })),
      )
      .map((pairs) => pairs.flat());
    const headers = fc.record(
      Object.fromEntries(
        [...new Set(headerParams.map((p) => p.name.toLowerCase()))].map((name) => [
          name,
          name === 'accept'
            ? fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html')
            : fc.oneof(
                fc.uuid(),
                fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
                fc.constant('k'.repeat(1000)),
              ),
        ]),
      ),
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, string>>;
    const content = route.operation.requestBody?.content ?? {};
    const body: fc.Arbitrary<FuzzRequest['body']> = content['application/json']
      ? this.jsonBody(content['application/json'].schema).map((text) => ({
          contentType: 'application/json',
          text,
        }))
      : Object.keys(content).length > 0
        ? fc
            .tuple(
              fc.constantFrom(...Object.keys(content)),
              fc.oneof(boundaryString(), fc.string({ unit: 'binary' })),
            )
            .map(([contentType, text]) => ({ contentType, text }))
        : fc.constant(null);
    const actors: Actor[] = route.operation.security
      ? route.path.startsWith('/api/v1/auth/')
        ? ['user']
        : ['admin', 'root']
      : ['anonymous'];
    return fc.record({ actor: fc.constantFrom(...actors), path, query, headers, body });
  }
}

const urlOf = (route: Route, req: FuzzRequest) => {
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => percentEncode(req.path[name] ?? ''));
  const query = req.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  return query ? `${path}?${query}` : path;
};

/** What a client would be left with, judged against the contract; empty when it holds. */
function problemsOf(o: Observed): string[] {
  const problems: string[] = [];
  if (o.transportError) problems.push(`no HTTP answer: ${o.transportError}`);
  else if (o.status >= 500) problems.push(`answered ${o.status}`);
  if (!o.transportError && o.status >= 400) {
    const b = o.body as Record<string, unknown> | null;
    const shaped =
      b !== null &&
      typeof b === 'object' &&
      b.statusCode === o.status &&
      typeof b.error === 'string' &&
      typeof b.message === 'string' &&
      typeof b.code === 'string';
    if (!shaped)
      problems.push(`error body is not JSON { statusCode, error, message, code } (${o.contentType})`);
  }
  if (o.stallMs > STALL_BOUND_MS) problems.push(`event loop stalled ${Math.round(o.stallMs)} ms`);
  return problems;
}

describe('REST fuzz: documented routes under random and boundary input', () => {
  let t: TestApp;
  let doc: OpenApi;
  let ids: Ids;
  let tokens: Record<Exclude<Actor, 'anonymous'>, TestAccount>;
  const watch = new EventLoopWatch();

  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100' });
    doc = (await t.http.get('/docs-json').expect(200)).body as OpenApi;
    const root = await theRoot(t);
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const victimTenant = await t.app
      .get(TenantsService)
      .create({ slug: uniqueName('victim'), name: 'Victim' });
    const victim = await anAccount(t, { tenantId, role: 'user' });
    const self = await anAccount(t, { tenantId, role: 'user' });
    const site = await aSite(t, admin);
    const station = await aStation(t, admin, { siteId: site.id });
    const tariff = await aTariff(t, admin, {
      stationId: station.id,
      timeOfUse: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', energyPerKwhMinor: 20 }],
    });
    const idTag = await t.http
      .post('/api/v1/id-tags')
      .set(admin.auth)
      .send({ idTag: uniqueName('TAG').toUpperCase(), userId: victim.userId })
      .expect(201);
    const apiKey = await anApiKey(t, admin, ['read']);
    const webhook = await t.http
      .post('/api/v1/webhooks')
      .set(admin.auth)
      .send({ url: 'https://partner.example.com/kilowatt/webhooks', events: ['session.*'] });
    // A completed session, charged through a real charger that then goes away.
    const priced = await aPricedStation(t, admin);
    const charger = await aConnectedCharger(t, admin, priced);
    const session = await anActiveSession(t, victim, priced);
    await charger.stopTransaction({ transactionId: session.transactionId, meterStop: 1200 });
    await charger.close();
    ids = {
      tenants: victimTenant.id,
      tenantId,
      users: victim.userId,
      userId: victim.userId,
      sites: site.id,
      siteId: site.id,
      stations: station.id,
      stationId: station.id,
      tariffs: tariff.id,
      'id-tags': idTag.body.id,
      'api-keys': apiKey.id,
      sessions: session.id,
      ...(webhook.status === 201 ? { webhooks: webhook.body.id as string } : {}),
    };
    tokens = { admin, root, user: self };
    watch.start();
  }, 180_000);

  afterAll(async () => {
    await watch.stop();
    await t?.close();
  });

  async function send(route: Route, req: FuzzRequest): Promise<Observed> {
    let call = t.http[route.method](urlOf(route, req)).timeout(REQUEST_TIMEOUT_MS);
    if (req.actor !== 'anonymous') call = call.set(tokens[req.actor].auth);
    for (const [k, v] of Object.entries(req.headers)) call = call.set(k, v);
    if (req.body) call = call.set('Content-Type', req.body.contentType).send(req.body.text);
    watch.handling(`${req.actor} ${route.method.toUpperCase()} ${urlOf(route, req)} ${req.body?.text ?? ''}`);
    try {
      const res = await call;
      return {
        status: res.status,
        contentType: String(res.headers['content-type'] ?? ''),
        body: res.body,
        text: res.text ?? '',
        stallMs: watch.takeMaxMs(),
      };
    } catch (err) {
      const e = err as { code?: string; message?: string; timeout?: number };
      return {
        status: 0,
        contentType: '',
        body: null,
        text: '',
        transportError: e.timeout
          ? `no answer within ${e.timeout} ms`
          : `${e.code ?? ''} ${e.message ?? ''}`.trim(),
        stallMs: watch.takeMaxMs(),
      };
    }
  }

  it('answers every documented route below 500, with the error shape, without stalling the event loop', async () => {
    const seed = fuzzSeed();
    const fuzzer = new RouteFuzzer(doc, ids);
    const routes: Route[] = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, operation]) => ({ method, path, operation }) as Route),
      )
      .filter((r) => r.operation.parameters?.length || r.operation.requestBody)
      // Deletions last, so the routes before them meet the fixtures alive.
      .sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    expect(routes.length).toBeGreaterThan(90);

    const failures: string[] = [];
    for (const route of routes) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      let last: { req: FuzzRequest; observed: Observed; problems: string[] } | undefined;
      const result = await fc.check(
        fc.asyncProperty(fuzzer.request(route), async (req) => {
          const observed = await send(route, req);
          const problems = problemsOf(observed);
          if (problems.length > 0) last = { req, observed, problems };
          return problems.length === 0;
        }),
        { seed: seedFor(seed, name), numRuns: RUNS_PER_ROUTE, interruptAfterTimeLimit: ROUTE_TIME_LIMIT_MS },
      );
      if (result.failed && last) {
        const { req, observed, problems } = last;
        failures.push(
          [
            `${name}: ${problems.join('; ')}`,
            `  request: ${req.actor} ${route.method.toUpperCase()} ${shortJson(urlOf(route, req))}`,
            ...(Object.keys(req.headers).length ? [`  headers: ${shortJson(req.headers)}`] : []),
            ...(req.body ? [`  body (${req.body.contentType}): ${shortJson(req.body.text)}`] : []),
            `  answer: ${observed.transportError ?? `${observed.status} ${shortJson(observed.text)}`}`,
            `  replay: FUZZ_SEED=${seed} (route seed ${seedFor(seed, name)}, path ${result.counterexamplePath})`,
          ].join('\n'),
        );
      }
    }
    expect(failures.join('\n\n')).toBe('');
  }, 600_000);
});
