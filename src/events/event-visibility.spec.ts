import type { Actor } from '../common/actor';
import type { DomainEvent, EventType } from './domain-event';
import { canReceive, isEventPattern, matchesAny } from './event-visibility';

const event = (type: EventType, tenantId: string, userId: string | null = null): DomainEvent => ({
  id: 'e',
  type,
  tenantId,
  userId,
  occurredAt: '2026-11-22T10:00:00Z',
  data: {},
});
const user: Actor = { tenantId: 't1', userId: 'u1', role: 'user' };
const admin: Actor = { tenantId: 't1', userId: 'a1', role: 'admin' };
const root: Actor = { tenantId: 't0', userId: 'r', role: 'root' };
const keyOnly: Actor = { tenantId: 't1', apiKeyId: 'k', role: 'user' };

describe('canReceive', () => {
  it.each([
    ['a user', user, event('session.started', 't1', 'u1'), true],
    ['a user', user, event('session.updated', 't1', 'u2'), false],
    ['a user', user, event('session.completed', 't2', 'u1'), false],
    ['a user', user, event('station.status_changed', 't1'), true],
    ['a user', user, event('station.status_changed', 't2'), false],
    ['a user', user, event('session.failed', 't1', null), false],
    ['a user', user, event('station.security_event', 't1'), false],
    ['an admin', admin, event('station.security_event', 't1'), true],
    ['an admin', admin, event('station.security_event', 't2'), false],
    ['root', root, event('station.security_event', 't2'), true],
    ['a user', user, event('station.monitoring_event', 't1'), false],
    ['an admin', admin, event('station.monitoring_event', 't1'), true],
    ['an admin', admin, event('station.monitoring_event', 't2'), false],
    ['an admin', admin, event('session.started', 't1', 'u9'), true],
    ['an admin', admin, event('station.status_changed', 't1'), true],
    ['an admin', admin, event('session.started', 't2', 'u9'), false],
    ['root', root, event('session.started', 't2', 'u9'), true],
    ['a user-role API key', keyOnly, event('session.started', 't1', 'u1'), false],
    ['a user-role API key', keyOnly, event('station.status_changed', 't1'), true],
  ])('%s receiving %o is %s', (_who, actor, e, expected) => {
    expect(canReceive(actor, e)).toBe(expected);
  });
});

describe('event patterns', () => {
  it.each([
    [['session.*'], 'session.started', true],
    [['session.*'], 'station.status_changed', false],
    [['*'], 'station.status_changed', true],
    [['station.*'], 'station.security_event', true],
    [['station.*'], 'station.monitoring_event', true],
    [['station.status_changed'], 'station.security_event', false],
    [['session.completed'], 'session.completed', true],
    [['session.completed'], 'session.failed', false],
    [['station.*', 'session.failed'], 'session.failed', true],
  ] as [string[], EventType, boolean][])('%j selects %s: %s', (patterns, type, expected) => {
    expect(matchesAny(patterns, type)).toBe(expected);
  });

  it.each([
    ['session.*', true],
    ['station.status_changed', true],
    ['*', true],
    ['sessions.*', false],
    ['session.', false],
    [42, false],
  ])('accepts %p as a pattern: %s', (p, ok) => {
    expect(isEventPattern(p)).toBe(ok);
  });
});
