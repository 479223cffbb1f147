import type { IncomingMessage } from 'node:http';
import type { Actor } from '../common/actor';

/** What a client may present on the `/events` upgrade request. */
export interface SocketCredentials {
  bearer?: string;
  apiKey?: string;
}

/** `Authorization: Bearer`, else `?access_token=` (browsers cannot set headers), plus `X-API-Key`. */
export function credentialsOf(req: IncomingMessage): SocketCredentials {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' && /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
  const query = new URL(req.url ?? '/', 'ws://localhost').searchParams.get('access_token');
  const apiKey = req.headers['x-api-key'];
  return {
    bearer: bearer || query || undefined,
    apiKey: typeof apiKey === 'string' && apiKey ? apiKey : undefined,
  };
}

/** The same caller with the same rights: a socket whose actor changed on re-check is closed. */
export const sameActor = (a: Actor, b: Actor): boolean =>
  a.tenantId === b.tenantId &&
  a.userId === b.userId &&
  a.apiKeyId === b.apiKeyId &&
  a.role === b.role &&
  [...(a.scopes ?? [])].sort().join() === [...(b.scopes ?? [])].sort().join();
