import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

// The module rules of docs/architecture.md, read from the import statements of every file in src/.
// An allow-list below records a dependency that exists today and is on its way out: it may shrink,
// never grow, and an entry that no longer matches an import fails too, so it is removed.

const SRC = __dirname;

interface Import {
  /** The importing file, relative to src/ (`users/users.service.ts`). */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** What it resolves to inside src/, without extension (`common/actor`); undefined for packages. */
  target?: string;
}

interface Allowed {
  from: string;
  target: string;
  reason: string;
}

/** Repositories and tables another module may import anyway (rule c). */
const CROSS_MODULE_TABLE_IMPORTS: Allowed[] = [
  { from: 'auth/auth.service.ts', target: 'users/users.tables', reason: 'the UserRow type of a login' },
  {
    from: 'auth/refresh-tokens.service.ts',
    target: 'users/users.tables',
    reason: 'the UserRow type a token is issued for',
  },
  {
    from: 'sessions/session-reads.repository.ts',
    target: 'stations/stations.tables',
    reason: "joins stations for a session's chargePointId and a station's creation time",
  },
  {
    from: 'users/users.repository.ts',
    target: 'tenants/tenants.tables',
    reason: "joins tenants for the tenant's status at login",
  },
];

/** Files whose job is to read every module's tables. */
const TABLE_READERS = new Set(['database/schema.ts', 'reports/reports.queries.ts']);

/**
 * What the gateway may use besides itself (rule d): shared code, infrastructure, and the ocpp
 * module's own tables. Feature modules implement its ports (`ChargerDirectory`, `StationPresence`,
 * the handlers) instead of being imported.
 */
const GATEWAY_MAY_IMPORT = [
  'ocpp/gateway/',
  'common/',
  'config/',
  'database/',
  'cluster/',
  'ocpp-types/',
  'ocpp/ocpp.tables',
];

const toPosix = (p: string) => p.split(sep).join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import, `export … from`, `import()` and `require()` of a file. */
function importsOf(file: string): Import[] {
  const from = toPosix(relative(SRC, file));
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map(({ fileName: specifier }) => {
    // tsconfig's baseUrl lets `src/…` resolve too.
    const absolute = specifier.startsWith('.')
      ? resolve(dirname(file), specifier)
      : specifier.startsWith('src/')
        ? resolve(SRC, '..', specifier)
        : undefined;
    const target =
      absolute === undefined ? undefined : toPosix(relative(SRC, absolute)).replace(/\.(ts|js)$/, '');
    return { from, specifier, target };
  });
}

const moduleOf = (path: string) => (path.includes('/') ? path.split('/')[0] : '');
const isTables = (path: string) => /\.tables(\.ts)?$/.test(path);
const isRepositoryOrTables = (path: string) => /\.(repository|tables)(\.ts)?$/.test(path);
const allowed = (list: Allowed[], i: Import) => list.some((a) => a.from === i.from && a.target === i.target);
const describeImport = (i: Import) => `${i.from} imports '${i.specifier}'`;

const imports = sourceFiles(SRC).flatMap(importsOf);
const internal = imports.filter((i): i is Import & { target: string } => i.target !== undefined);

describe('module boundaries', () => {
  it('reads the imports of the whole tree', () => {
    expect(internal).toContainEqual({
      from: 'users/users.service.ts',
      specifier: '../common/actor',
      target: 'common/actor',
    });
    expect(imports).toContainEqual({
      from: 'simulator/charger-simulator.ts',
      specifier: 'ocpp-rpc',
      target: undefined,
    });
  });

  it('keeps common/ and config/ free of feature modules', () => {
    const violations = internal
      .filter((i) => ['common', 'config'].includes(moduleOf(i.from)))
      .filter((i) => !['common', 'config'].includes(moduleOf(i.target)))
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it('keeps the simulator apart from the server: its own files, packages and shared OCPP types only', () => {
    const violations = internal
      .filter((i) => moduleOf(i.from) === 'simulator')
      .filter((i) => !['simulator', 'ocpp-types'].includes(moduleOf(i.target)))
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it('keeps the shared OCPP types free of imports: the server and the simulator both use them', () => {
    const violations = imports
      .filter((i) => moduleOf(i.from) === 'ocpp-types')
      .filter((i) => i.target === undefined || moduleOf(i.target) !== 'ocpp-types')
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it("lets no module import another module's repository or tables", () => {
    const violations = internal
      .filter((i) => isRepositoryOrTables(i.target) && moduleOf(i.target) !== moduleOf(i.from))
      .filter((i) => !TABLE_READERS.has(i.from))
      // A table's foreign keys reference the tables of the modules it points at.
      .filter((i) => !(isTables(i.from) && isTables(i.target)))
      .filter((i) => !allowed(CROSS_MODULE_TABLE_IMPORTS, i))
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it('keeps the OCPP gateway a leaf: it imports no feature module', () => {
    const violations = internal
      .filter((i) => i.from.startsWith('ocpp/gateway/'))
      .filter((i) => !GATEWAY_MAY_IMPORT.some((prefix) => i.target.startsWith(prefix)))
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it('keeps each protocol in its own folder: nothing outside ocpp/ imports ocpp/v16 or ocpp/v201, nor the gateway, nor one protocol the other', () => {
    const protocolOf = (path: string) => /^ocpp\/(v16|v201)\//.exec(path)?.[1];
    const violations = internal
      .filter((i) => protocolOf(i.target) !== undefined)
      .filter((i) => protocolOf(i.from) !== protocolOf(i.target))
      // The ocpp module registers each protocol's handlers with the gateway.
      .filter((i) => i.from !== 'ocpp/ocpp.module.ts')
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it('drops every cross-module table allowance that no longer matches an import', () => {
    const stale = CROSS_MODULE_TABLE_IMPORTS.filter(
      (a) => !internal.some((i) => i.from === a.from && i.target === a.target),
    );
    expect(stale.map((a) => `${a.from} -> ${a.target}: remove it from the allow-list`)).toEqual([]);
  });
});
