import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';

/** The tenant whose rows an actor reads: its own, or null (every tenant) for root. */
export type TenantScope = string | null;

export const readScope = (actor: Actor): TenantScope => (actor.role === 'root' ? null : actor.tenantId);

/** The tenant a new row belongs to: the caller's, or for root the one it names. */
export function owningTenant(actor: Actor, requested: string | undefined): string {
  if (requested === undefined || requested === actor.tenantId) return actor.tenantId;
  if (actor.role !== 'root') throw new DomainError('FORBIDDEN', 'Only root may choose the tenant');
  return requested;
}
