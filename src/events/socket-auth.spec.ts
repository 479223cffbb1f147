import type { IncomingMessage } from 'node:http';
import { credentialsOf } from './socket-auth';

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
