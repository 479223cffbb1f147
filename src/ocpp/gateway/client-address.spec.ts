import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { clientAddress, type TrustProxy } from './client-address';

const request = (remoteAddress: string, forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress } as Socket,
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as Pick<IncomingMessage, 'headers' | 'socket'>;

const loopback: TrustProxy = (a) => a === '127.0.0.1' || a === '::1';
const nobody: TrustProxy = () => false;
const privateNet: TrustProxy = (a) => a.startsWith('10.');

describe('clientAddress', () => {
  it.each([
    ['no proxy header: the socket peer', request('203.0.113.9'), loopback, '203.0.113.9'],
    ['a trusted proxy: its X-Forwarded-For', request('127.0.0.1', '198.51.100.7'), loopback, '198.51.100.7'],
    [
      'an untrusted peer: its header is ignored',
      request('203.0.113.9', '198.51.100.7'),
      loopback,
      '203.0.113.9',
    ],
    ['TRUST_PROXY trusting nobody', request('127.0.0.1', '198.51.100.7'), nobody, '127.0.0.1'],
    [
      'a chain: the first address from the right that is not a trusted proxy',
      request('10.0.0.2', '198.51.100.7, 203.0.113.1, 10.0.0.1'),
      privateNet,
      '203.0.113.1',
    ],
    [
      'a chain of trusted proxies only: the leftmost entry',
      request('10.0.0.2', '10.0.0.3,10.0.0.1'),
      privateNet,
      '10.0.0.3',
    ],
    ['empty entries and spaces', request('127.0.0.1', ' , 198.51.100.7 ,  '), loopback, '198.51.100.7'],
    ['repeated headers', request('127.0.0.1', ['198.51.100.7', '127.0.0.1']), loopback, '198.51.100.7'],
  ])('%s', (_name, req, trust, expected) => {
    expect(clientAddress(req, trust)).toBe(expected);
  });
});
