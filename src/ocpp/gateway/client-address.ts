import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` setting (TRUST_PROXY): is the address at this hop a proxy we believe? */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The address a charger's handshake came from, found as Express's `req.ip` finds it for the REST
 * routes: the socket's peer, or — while that hop is a trusted proxy — the next X-Forwarded-For
 * entry from the right. An untrusted peer's X-Forwarded-For is never read, so it cannot be forged.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trust: TrustProxy): string {
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .reverse();
  const hops = [req.socket.remoteAddress ?? 'unknown', ...forwarded];
  let hop = 0;
  while (hop < hops.length - 1 && trust(hops[hop], hop)) hop++;
  return hops[hop];
}
