// Writes docs/kilowatt.postman_collection.json from the committed openapi.json with the
// openapi-to-postmanv2 converter: one folder per tag, a request per route with its example body,
// `{{baseUrl}}` (http://localhost:3000) and bearer `{{bearerToken}}` as collection variables.
// Random ids and response examples are left out and invented values come from a seeded generator,
// so the file changes only when the API does; the
// test suite regenerates it and compares. `npm run openapi` runs this after writing openapi.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
type Converter = {
  convertV2(
    input: { type: 'string'; data: string },
    options: Record<string, unknown>,
    done: (
      err: Error | null,
      result: { result: boolean; reason?: string; output: { data: unknown }[] },
    ) => void,
  ): void;
};

export const POSTMAN_FILE = join(__dirname, '..', 'docs', 'kilowatt.postman_collection.json');

/** Drops what the converter makes up on each run (ids) and the response examples. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    if (key !== 'id' && key !== '_postman_id' && key !== 'response') out[key] = stable(v);
  return out;
}

/** A seeded generator (mulberry32), for the values the converter invents where a schema gives no example. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The converter's faker reads `Math.random` (some of it keeps the function it found when loaded),
 * so the converter is loaded, and runs, behind one that draws from a generator reseeded per call.
 */
let draw = Math.random;
let converter: Converter | undefined;

export async function postmanCollection(openapi: string): Promise<string> {
  const random = Math.random;
  draw = seeded(42);
  Math.random = () => draw();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded behind the seeded Math.random; it ships no types
    converter ??= require('openapi-to-postmanv2') as Converter;
    return await convert(converter, openapi);
  } finally {
    Math.random = random;
    draw = random;
  }
}

function convert({ convertV2 }: Converter, openapi: string): Promise<string> {
  return new Promise((resolve, reject) =>
    convertV2(
      { type: 'string', data: openapi },
      { folderStrategy: 'Tags', requestNameSource: 'Fallback', parametersResolution: 'Example' },
      (err, converted) => {
        if (err || !converted.result) return reject(err ?? new Error(converted.reason));
        const collection = stable(converted.output[0].data) as Record<string, unknown>;
        collection.variable = [
          { key: 'baseUrl', value: 'http://localhost:3000' },
          { key: 'accessToken', value: '', description: 'accessToken from POST /api/v1/auth/login' },
        ];
        collection.auth = {
          type: 'bearer',
          bearer: [{ key: 'token', value: '{{accessToken}}', type: 'string' }],
        };
        resolve(`${JSON.stringify(collection, null, 2)}\n`);
      },
    ),
  );
}

if (require.main === module) {
  postmanCollection(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'))
    .then((text) => writeFileSync(POSTMAN_FILE, text))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
