import type { Actor } from '../common/actor';
import { DomainEvent, EVENT_TYPES, EventType } from './domain-event';

/** What a webhook or a live subscriber may ask for: an exact type, a family, or everything. */
export const EVENT_PATTERNS = ['*', 'session.*', 'station.*', ...EVENT_TYPES] as const;
export type EventPattern = (typeof EVENT_PATTERNS)[number];

export const isEventPattern = (p: unknown): p is EventPattern =>
  typeof p === 'string' && (EVENT_PATTERNS as readonly string[]).includes(p);

/** The patterns that select `type`; the webhook queue matches them with `= ANY(events)` in SQL. */
export function patternsMatching(type: string): string[] {
  return ['*', `${type.split('.')[0]}.*`, type];
}

export const matchesAny = (patterns: readonly string[], type: EventType): boolean =>
  patternsMatching(type).some((p) => patterns.includes(p));

/**
 * Who sees an event on the live socket: root everything; an admin their tenant; a user their own
 * sessions plus the public station status of their tenant (not a station's security events).
 */
export function canReceive(actor: Actor, event: DomainEvent): boolean {
  if (actor.role === 'root') return true;
  if (actor.tenantId !== event.tenantId) return false;
  if (actor.role === 'admin') return true;
  if (event.type === 'station.status_changed') return true;
  return event.type.startsWith('session.') && !!actor.userId && event.userId === actor.userId;
}
