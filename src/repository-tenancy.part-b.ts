import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

// Repositories of tenant-owned data take the tenant first: every public method's first parameter
// is `tenantId` (one tenant) or `scope` (a TenantScope: one tenant, or null for root), and the
// query is scoped by it. A method that is deliberately cross-tenant is listed below, with why.

/** Files checked, relative to src/. */
export const CHECKED_B: string[] = [
  'auth/api-keys.repository.ts',
  'auth/refresh-tokens.repository.ts',
  'commands/command-audit.repository.ts',
  'commands/diagnostics.repository.ts',
  'commands/firmware.repository.ts',
  'commands/local-list.repository.ts',
  'commands/reservations.repository.ts',
  'events/webhooks.repository.ts',
  'integrator-security/key-security.repository.ts',
  'integrator-security/audit/security-events.repository.ts',
  'ocpp/charger-notifications.repository.ts',
  'tenants/tenants.repository.ts',
];

const WORKER = 'delivery worker: acts on a delivery it claimed, by id, whichever tenant it belongs to';
const TENANTS = 'the tenants table itself';

/** file → method → why it does not take the tenant first. */
export const EXEMPT_B: Record<string, Record<string, string>> = {
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

const isPublic = (m: ts.MethodDeclaration): boolean =>
  !ts.isPrivateIdentifier(m.name) &&
  !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));

/** The public methods of every class in `source`, with the name of their first parameter. */
export function publicMethods(source: ts.SourceFile): { name: string; first: string | undefined }[] {
  const methods: { name: string; first: string | undefined }[] = [];
  for (const cls of source.statements.filter(ts.isClassDeclaration)) {
    for (const m of cls.members) {
      if (!ts.isMethodDeclaration(m) || !isPublic(m) || m.body === undefined) continue;
      const param = m.parameters[0];
      const first = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
      methods.push({ name: m.name.getText(source), first });
    }
  }
  return methods;
}

/**
 * What breaks the rule in `files` (relative to `srcDir`): a public method whose first parameter is
 * not the tenant and that is not exempt, and an exemption naming a method that does not exist.
 */
export function tenancyViolations(
  srcDir: string,
  files: string[],
  exempt: Record<string, Record<string, string>>,
): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    const methods = publicMethods(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
    const exempted = exempt[file] ?? {};
    for (const { name, first } of methods) {
      if (first !== undefined && TENANT_FIRST.has(first)) continue;
      if (name in exempted) continue;
      violations.push(`${file}: ${name}(${first ?? ''}…) does not take tenantId or scope first`);
    }
    const names = new Set(methods.map((m) => m.name));
    for (const name of Object.keys(exempted)) {
      if (!names.has(name)) violations.push(`${file}: exemption for ${name}, which is not a public method`);
    }
  }
  for (const file of Object.keys(exempt)) {
    if (!files.includes(file)) violations.push(`${file}: exemptions for a file that is not checked`);
  }
  return violations;
}
