import { DomainError } from './domain-error';

/** An account's role; `root` is the platform operator, above every tenant. */
export const ROLES = ['user', 'admin', 'root'] as const;
export type Role = (typeof ROLES)[number];

export type ApiKeyScope = 'read' | 'charge' | 'admin';

/** Who is calling: every request resolves to one, and services take it first. */
export interface Actor {
  tenantId: string;
  /** For an API key: `admin` when it has the admin scope, else `user`. A key is never root. */
  role: Role;
  /** Absent for API-key callers: a key belongs to a tenant, not to an account. */
  userId?: string;
  apiKeyId?: string;
  /** Present for API-key callers: what the key may do. */
  scopes?: ApiKeyScope[];
}

export const isAdmin = (actor: Actor) => actor.role === 'admin' || actor.role === 'root';
export const isRoot = (actor: Actor) => actor.role === 'root';
export const isApiKey = (actor: Actor) => actor.apiKeyId !== undefined;

/** The `admin` scope includes `read` and `charge`. Account actors (JWT) are not scope-limited. */
export function hasScope(actor: Actor, scope: ApiKeyScope): boolean {
  if (!isApiKey(actor)) return true;
  const scopes = actor.scopes ?? [];
  return scopes.includes(scope) || scopes.includes('admin');
}

/** The caller's own account id; an API key has none, so "my …" routes refuse it. */
export function accountOf(actor: Actor): string {
  if (!actor.userId) throw new DomainError('FORBIDDEN', 'This route needs an account, not an API key');
  return actor.userId;
}

/**
 * The tenant a query is restricted to: the actor's own, or none (every tenant) for root, who may
 * narrow to one tenant with `tenantId`.
 */
export const tenantScopeOf = (actor: Actor, requested?: string): string | undefined =>
  isRoot(actor) ? requested : actor.tenantId;
