export const EVENT_TYPES = [
  'session.started',
  'session.updated',
  'session.completed',
  'session.failed',
  'station.status_changed',
  'station.security_event',
  'station.monitoring_event',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What happened in the domain, fanned out to webhooks and the live `/events` socket. */
export interface DomainEvent<T extends object = Record<string, unknown>> {
  /** Unique per event; webhook receivers use it to de-duplicate. */
  id: string;
  type: EventType;
  tenantId: string;
  occurredAt: string;
  /** The account the event concerns (a session's owner), so users see only their own. */
  userId?: string | null;
  stationId?: string | null;
  data: T;
}
