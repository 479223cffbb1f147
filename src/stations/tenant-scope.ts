import type { Actor } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { isForeignKeyViolation } from '../database/db-errors';

/** The tenant whose rows an actor reads: its own, or null (every tenant) for root. */
export type TenantScope = string | null;

export const readScope = (actor: Actor): TenantScope => (actor.role === 'root' ? null : actor.tenantId);

/** The tenant a new row belongs to: the caller's, or for root the one it names. */
export function owningTenant(actor: Actor, requested: string | undefined): string {
  if (requested === undefined || requested === actor.tenantId) return actor.tenantId;
  if (actor.role !== 'root') throw new DomainError('FORBIDDEN', 'Only root may choose the tenant');
  return requested;
}

/**
 * Runs the insert of a new row of `tenantId`. Only root names a tenant, and one that does not
 * exist fails the tenant's foreign key: that is a 404, like any unknown id.
 */
export async function insertInTenant<T>(tenantId: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (e) {
    if (isForeignKeyViolation(e)) throw notFound('Tenant', tenantId);
    throw e;
  }
}
