import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

// Every public method of a repository of tenant-owned data takes the tenant first: `tenantId`
// (one tenant) or `scope` (a TenantScope, null for root). A method that is cross-tenant on purpose
// is listed in EXEMPT with the reason. The list may only shrink: an entry naming a method that no
// longer exists, or one that now takes the tenant first, fails too.

const SRC = __dirname;

/** The repositories this rule holds for so far, relative to src/; the rest join as they comply. */
const CHECKED_REPOSITORIES = [
  'sessions/session-reads.repository.ts',
  'sessions/session-writes.repository.ts',
  'stations/stations.repository.ts',
  'stations/sites.repository.ts',
  'tariffs/tariffs.repository.ts',
  'users/users.repository.ts',
  'users/id-tags.repository.ts',
];

/** Public methods that are cross-tenant on purpose, by file, with the reason. */
const EXEMPT: Record<string, Record<string, string>> = {
  'sessions/session-reads.repository.ts': {
    countOpenByStatus: "the platform operator's metrics count every tenant's open sessions",
    stationsWithLiveSessions: 'one batched read for the boots of a burst, whatever their tenants',
    findByChargerTransactionIds:
      'one batched read for the TransactionEvents of a burst, whatever their tenants',
    findMeterTargets: 'one batched read for the MeterValues of a burst, whatever their tenants',
    listActiveWithChargerTransaction: 'the running-cost loop walks every tenant',
    listStaleActive: 'the zombie-session sweep walks every tenant',
    listActiveOnAvailableConnector: 'the zombie-session sweep walks every tenant',
    listStalePending: 'the pending-start timeout sweep walks every tenant',
  },
  'sessions/session-writes.repository.ts': {
    transaction: 'opens a transaction; touches no row itself',
    nextTransactionId: 'draws from the platform-wide transaction id sequence; no tenant rows',
    insertMeterValues: 'one batched write for the MeterValues of a burst, to sessions already resolved',
    updateLiveReadings: 'one batched write for the MeterValues of a burst, to sessions already resolved',
  },
  'users/users.repository.ts': {
    findByUsername: 'login: usernames are unique across the platform, the tenant is not known yet',
    findByEmail: 'login: emails are unique across the platform, the tenant is not known yet',
    anyRoot: 'first start: is there a root account in any tenant',
  },
};

const TENANT_FIRST = new Set(['tenantId', 'scope']);

function repositoryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return repositoryFiles(path);
    return e.name.endsWith('.repository.ts') ? [relative(SRC, path).split(sep).join('/')] : [];
  });
}

interface PublicMethod {
  name: string;
  firstParameter: string | undefined;
}

/** Each class's public methods: no constructor, no `private`/`protected`, no `#name`. */
function publicMethods(file: string): PublicMethod[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(SRC, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const methods: PublicMethod[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isClassDeclaration(node)) {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        if (ts.isPrivateIdentifier(member.name)) continue;
        const modifiers = ts.getModifiers(member) ?? [];
        const hidden = modifiers.some(
          (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
        );
        if (hidden) continue;
        const first = member.parameters[0];
        methods.push({
          name: member.name.getText(source),
          firstParameter: first && ts.isIdentifier(first.name) ? first.name.text : undefined,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return methods;
}

describe('repository tenancy', () => {
  const files = repositoryFiles(SRC);

  it('checks repositories that exist', () => {
    expect(CHECKED_REPOSITORIES.filter((f) => !files.includes(f))).toEqual([]);
    expect(Object.keys(EXEMPT).filter((f) => !CHECKED_REPOSITORIES.includes(f))).toEqual([]);
  });

  it.each(CHECKED_REPOSITORIES)('%s takes the tenant first in every public method', (file) => {
    const exempt = EXEMPT[file] ?? {};
    const methods = publicMethods(file);
    expect(methods.length).toBeGreaterThan(0);
    const offenders = methods
      .filter((m) => !TENANT_FIRST.has(m.firstParameter ?? '') && !(m.name in exempt))
      .map((m) => `${m.name}(${m.firstParameter ?? ''}…)`);
    expect(offenders).toEqual([]);
  });

  it.each(CHECKED_REPOSITORIES)('%s exempts only methods that exist and need it', (file) => {
    const methods = new Map(publicMethods(file).map((m) => [m.name, m.firstParameter]));
    const stale = Object.keys(EXEMPT[file] ?? {}).filter(
      (name) => !methods.has(name) || TENANT_FIRST.has(methods.get(name) ?? ''),
    );
    expect(stale).toEqual([]);
  });
});
