import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';

/** The tenant a request acts on: the caller's, or for root the one it names. */
export function tenantOfRequest(actor: Actor, requested: string | undefined): string {
  if (requested === undefined || requested === actor.tenantId) return actor.tenantId;
  if (actor.role !== 'root') throw new DomainError('FORBIDDEN', 'Only root may choose the tenant');
  return requested;
}

/** The actor narrowed to one tenant, so that root's reads stay inside the tenant it chose. */
export const scopedTo = (actor: Actor, tenantId: string): Actor =>
  actor.role === 'root' ? { ...actor, tenantId, role: 'admin' } : actor;
