import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

// Every public method of a repository of tenant-owned data takes the tenant first: `tenantId`
// (one tenant) or `scope` (a TenantScope, null for root). A method that is cross-tenant on purpose
// is listed in EXEMPT with the reason. The list may only shrink: an entry naming a method that no
// longer exists, or one that now takes the tenant first, fails too.

const SRC = __dirname;

const WORKER = 'delivery worker: acts on a delivery it claimed, by id, whichever tenant it belongs to';
const TENANTS = 'the tenants table itself';

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
  'auth/api-keys.repository.ts': {
    findByPrefix: "authenticates an X-API-Key by its prefix, before the key's tenant is known",
    findById: 'client credentials: the key id and secret are checked before the tenant is known',
  },
  'auth/refresh-tokens.repository.ts': {
    findByHash: 'a presented refresh token is found by its hash, before its tenant is known',
    revokeAllOfUser:
      'account revocations carry only the (globally unique) user id; giving them the tenant means changing users.service',
  },
  'commands/diagnostics.repository.ts': {
    findByOpenToken: "the charger's upload is found by its token, before the tenant is known",
  },
  'commands/certificates.repository.ts': {
    findBySerial:
      "a profile 3 handshake's client certificate is found by its serial, before its station is trusted",
  },
  'commands/device-model.repository.ts': {
    costDisplay: 'one batched read for the running-cost loop, which walks every tenant',
  },
  'commands/monitoring.repository.ts': {
    purgeEventsOlderThan: "periodic purge of every tenant's old monitoring events",
  },
  'events/webhooks.repository.ts': {
    enqueueForEvents:
      "one statement for a batch of events of any tenants; each joins only its own tenant's webhooks",
    claimDue: 'delivery worker: claims the due deliveries of every tenant',
    markDelivered: WORKER,
    markAttemptFailed: WORKER,
    release: WORKER,
    queueStats: "metrics: the depth and age of every tenant's queue",
    pruneFinishedBefore: "periodic purge of every tenant's finished deliveries",
  },
  'integrator-security/key-security.repository.ts': {
    claimNonce: 'api_key_nonces has no tenant column: keyed by the already authenticated calling key',
    pruneNonces: "periodic sweep of every tenant's expired nonces",
  },
  'integrator-security/audit/security-events.repository.ts': {
    pruneBefore: "periodic purge of every tenant's old events",
  },
  'ocpp/charger-notifications.repository.ts': {
    onModuleInit: 'Nest lifecycle hook: starts the purge timer, no query',
    onModuleDestroy: 'Nest lifecycle hook: stops the purge timer, no query',
    purgeOlderThan: "periodic purge of every tenant's old notifications",
  },
  'tenants/tenants.repository.ts': {
    insertIfAbsent: `${TENANTS}: seeds a tenant by its slug`,
    insert: `${TENANTS}: creates a tenant (root)`,
    findById: `${TENANTS}: the id is the tenant`,
    findBySlug: `${TENANTS}: finds a tenant by its slug, before its id is known`,
    list: `${TENANTS}: root lists every tenant`,
    update: `${TENANTS}: the id is the tenant`,
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

/** Every repository in src/, relative to it: a new one is held to the rule from its first commit. */
const CHECKED_REPOSITORIES = repositoryFiles(SRC);

describe('repository tenancy', () => {
  it('checks every repository, and exempts methods only of repositories that exist', () => {
    expect(CHECKED_REPOSITORIES.length).toBeGreaterThanOrEqual(19);
    expect(Object.keys(EXEMPT).filter((f) => !CHECKED_REPOSITORIES.includes(f))).toEqual([]);
  });

  it('gives a reason for every exemption', () => {
    const blank = Object.entries(EXEMPT).flatMap(([file, methods]) =>
      Object.entries(methods).flatMap(([method, why]) => (why.trim() ? [] : [`${file}: ${method}`])),
    );
    expect(blank).toEqual([]);
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
