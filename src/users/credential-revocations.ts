import { Injectable, Logger } from '@nestjs/common';

/** What just stopped granting access: an account's earlier sessions, or an API key. */
export type Revocation =
  | { kind: 'account'; userId: string; reason: 'disabled' | 'role_changed' | 'password_changed' | 'logout' }
  | { kind: 'api_key'; apiKeyId: string; reason: 'revoked' };

export type RevocationListener = (revocation: Revocation) => void | Promise<void>;

/**
 * Tells the parts that hold credentials open (refresh tokens, the live `/events` sockets) that an
 * account's or a key's access just changed, on this node. Listeners are awaited, so a refresh
 * token is revoked before the change is answered. Other nodes learn it from the database: the
 * sockets there re-check their actor periodically.
 */
@Injectable()
export class CredentialRevocations {
  private readonly logger = new Logger(CredentialRevocations.name);
  private readonly listeners = new Set<RevocationListener>();

  listen(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async announce(revocation: Revocation): Promise<void> {
    const results = await Promise.allSettled([...this.listeners].map(async (l) => l(revocation)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.logger.error({ err: failed.reason, kind: revocation.kind }, 'A revocation listener failed');
      throw failed.reason;
    }
  }
}
