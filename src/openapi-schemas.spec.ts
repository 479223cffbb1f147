import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POSTMAN_FILE, postmanCollection } from '../scripts/postman';

/**
 * What a generated client needs of every schema property in the committed openapi.json (which
 * test/e2e/openapi.e2e-spec.ts keeps equal to the app's): a type. `string | null` read by
 * reflection becomes an empty `object`, which openapi-typescript turns into Record<string, never>.
 */
describe('openapi.json', () => {
  type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };
  type ErrorExample = { value: { statusCode: number; code: string } };
  type Operation = {
    responses: Record<string, { content?: Record<string, { examples?: Record<string, ErrorExample> }> }>;
  };
  const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as {
    components: { schemas: Record<string, Schema> };
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item));
  const properties = Object.entries(doc.components.schemas).flatMap(([name, schema]) =>
    Object.entries(schema.properties ?? {}).map(([property, s]) => ({ at: `${name}.${property}`, s })),
  );

  it('has properties to check', () => {
    expect(properties.length).toBeGreaterThan(300);
  });

  it('types every property: no object without properties, additionalProperties or a $ref', () => {
    const untyped = properties
      .filter(
        ({ s }) => s.type === 'object' && !s.properties && s.additionalProperties === undefined && !s.allOf,
      )
      .map(({ at }) => at);
    expect(untyped).toEqual([]);
  });

  it('gives every nullable property its type', () => {
    const typeless = properties
      .filter(({ s }) => s.nullable === true && !s.type && !s.$ref && !s.allOf && !s.oneOf && !s.enum)
      .map(({ at }) => at);
    expect(typeless).toEqual([]);
  });

  it("passes Redocly's recommended ruleset without an error (scripts/lint-openapi.mjs)", () => {
    const script = join(__dirname, '..', 'scripts', 'lint-openapi.mjs');
    let out: string;
    try {
      out = execFileSync(process.execPath, [script, '--json'], { encoding: 'utf8' });
    } catch (err) {
      out = (err as { stdout: string }).stdout;
    }
    const problems = JSON.parse(out) as { severity: string; rule: string; at: string }[];
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('ships in docs/ the Postman collection generated from it (npm run openapi writes both)', async () => {
    const generated = await postmanCollection(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(readFileSync(POSTMAN_FILE, 'utf8') === generated).toBe(true);
    const collection = JSON.parse(generated) as { item: { item: unknown[] }[] };
    expect(collection.item.flatMap((folder) => folder.item)).toHaveLength(operations.length);
  });

  it('shows an example per error code on every error answer, each under its own status', () => {
    const answers = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .flatMap((op) => Object.entries(op.responses).filter(([status]) => Number(status) >= 400));
    expect(answers.length).toBeGreaterThan(300);
    for (const [status, answer] of answers) {
      const examples = Object.entries(answer.content?.['application/json']?.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      for (const [code, example] of examples)
        expect(example.value).toMatchObject({ statusCode: Number(status), code });
    }
    const start = doc.paths['/api/v1/sessions'].post.responses;
    expect(Object.keys(start['409'].content!['application/json'].examples!)).toContain('CONNECTOR_RESERVED');
    expect(Object.keys(start['502'].content!['application/json'].examples!)).toEqual(['CHARGER_ERROR']);
  });
});
