import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FILE } from '../../src/swagger';
import { TestApp, startApp } from '../app';

// The committed openapi.json is the open interface's contract under review: any change to a
// route, a DTO or the Swagger setup shows in the diff. Regenerate it with `npm run openapi`.
describe('the committed OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('is the document the app serves at /docs-json (run `npm run openapi` after an API change)', async () => {
    const served = await t.http.get('/docs-json').expect(200);
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', OPENAPI_FILE), 'utf8'));
    expect(served.body).toEqual(committed);
  });
});
