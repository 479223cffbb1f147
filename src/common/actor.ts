import type { Role } from '../users/users.tables';

export type ApiKeyScope = 'read' | 'charge' | 'admin';

/** Who is calling: every request resolves to one, and services take it first. */
export interface Actor {
  tenantId: string;
  role: Role;
  userId?: string;
  apiKeyId?: string;
  /** Present for API-key callers: what the key may do. */
  scopes?: ApiKeyScope[];
}

export const isAdmin = (actor: Actor) => actor.role === 'admin' || actor.role === 'root';
