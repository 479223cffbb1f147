// Writes the open interface's OpenAPI document to openapi.json at the repository root, from the
// application itself (booted on a throw-away in-memory database, never listening). The test suite
// fails when the app's document and the committed file differ: run `npm run openapi` after any
// change to a route, a DTO or the Swagger setup, and review the diff.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { OPENAPI_FILE, openApiDocumentOf, serializeOpenApi } from '../src/swagger';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kilowatt-openapi-'));
  try {
    const app = await createApp(
      loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' }),
    );
    await app.init();
    writeFileSync(join(__dirname, '..', OPENAPI_FILE), serializeOpenApi(openApiDocumentOf(app)));
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
