import type { IncomingMessage } from 'node:http';
import type { Actor } from '../common/actor';
import { credentialsOf, sameActor } from './socket-auth';

const req = (url: string, headers: Record<string, string> = {}) =>
  ({ url, headers }) as unknown as IncomingMessage;

describe('credentialsOf', () => {
  it.each([
    ['a bearer header', req('/events', { authorization: 'Bearer abc.def.ghi' }), { bearer: 'abc.def.ghi' }],
    ['a lower-case scheme', req('/events', { authorization: 'bearer abc' }), { bearer: 'abc' }],
    ['a query token', req('/events?access_token=q.r.s'), { bearer: 'q.r.s' }],
    ['header over query', req('/events?access_token=q', { authorization: 'Bearer h' }), { bearer: 'h' }],
    ['an API key', req('/events', { 'x-api-key': 'kw_123' }), { apiKey: 'kw_123' }],
    ['a Basic header', req('/events', { authorization: 'Basic dXNlcjpwYXNz' }), {}],
    ['nothing', req('/events'), {}],
  ])('reads %s', (_what, r, expected) => {
    expect(credentialsOf(r)).toEqual({ bearer: undefined, apiKey: undefined, ...expected });
  });
});

describe('sameActor', () => {
  const user: Actor = { tenantId: 't1', userId: 'u1', role: 'admin' };
  const key: Actor = { tenantId: 't1', apiKeyId: 'k1', role: 'user', scopes: ['read', 'charge'] };
  it.each([
    ['the same account', user, { ...user }, true],
    ['a demoted account', user, { ...user, role: 'user' }, false],
    ['another account', user, { ...user, userId: 'u2' }, false],
    ['another tenant', user, { ...user, tenantId: 't2' }, false],
    ['the same key, scopes in another order', key, { ...key, scopes: ['charge', 'read'] }, true],
    ['a key with fewer scopes', key, { ...key, scopes: ['read'] }, false],
    ['a key instead of an account', user, { ...key, role: 'admin' }, false],
  ] as [string, Actor, Actor, boolean][])('%s: %s', (_what, a, b, same) => {
    expect(sameActor(a, b)).toBe(same);
  });
});
