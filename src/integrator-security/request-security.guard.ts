import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../common/actor';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { SecurityEventsService } from './audit/security-events.service';
import { decrypt, envelopeOf } from './envelope';
import { KeySecurity, KeySecurityService } from './key-security.service';
import {
  NONCE,
  TIMESTAMP,
  canonicalRequest,
  hmacHex,
  sameSignature,
  withinWindow,
} from './request-signature';

export type RawBodyRequest = Request & { user?: Actor; rawBody?: Buffer };

const header = (req: Request, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v.trim() : undefined;
};

/**
 * For API-key callers (X-API-Key or its client token): verifies the request signature when the key
 * requires one or the request carries X-Signature, then opens the AES-256-GCM envelope into
 * `req.body` when the key requires encryption. Guards run before pipes, so the DTO validation sees
 * the plaintext.
 */
@Injectable()
export class RequestSecurityGuard implements CanActivate {
  constructor(
    private readonly keys: KeySecurityService,
    private readonly audit: SecurityEventsService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<RawBodyRequest>();
    const actor = req.user;
    if (!actor?.apiKeyId) return true;
    const security = await this.keys.ofRequest(req, actor.apiKeyId, actor.tenantId);
    if (security.requireSignature || req.headers['x-signature'] !== undefined) {
      await this.verifySignature(req, actor, security);
    }
    if (security.requireEncryption) await this.openEnvelope(req, actor, security);
    return true;
  }

  private async verifySignature(req: RawBodyRequest, actor: Actor, security: KeySecurity): Promise<void> {
    const timestamp = header(req, 'x-timestamp');
    const nonce = header(req, 'x-nonce');
    const signature = header(req, 'x-signature');
    if (!timestamp || !nonce || !signature) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'SIGNATURE_MISSING',
        'X-Timestamp, X-Nonce and X-Signature are required for this API key',
      );
    }
    if (!TIMESTAMP.test(timestamp)) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'SIGNATURE_INVALID',
        'X-Timestamp must be Unix time in whole seconds',
      );
    }
    if (!NONCE.test(nonce)) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'SIGNATURE_INVALID',
        'X-Nonce must be 16 to 128 characters of A-Z a-z 0-9 _ -',
      );
    }
    if (!security.signingKey) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'SIGNATURE_INVALID',
        'No signing key was issued for this API key',
      );
    }
    const expected = hmacHex(
      security.signingKey,
      canonicalRequest({
        timestamp,
        nonce,
        method: req.method,
        pathWithQuery: req.originalUrl,
        body: req.rawBody ?? '',
      }),
    );
    // The signature is checked before the clock and the nonce: only the key holder can use up nonces.
    if (!sameSignature(expected, signature)) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'SIGNATURE_INVALID',
        'X-Signature does not match the request',
      );
    }
    const window = this.config.integrator.signatureWindowSeconds;
    if (!withinWindow(Number(timestamp), Math.floor(Date.now() / 1000), window)) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'TIMESTAMP_OUT_OF_WINDOW',
        `X-Timestamp is more than ${window} seconds from the server's clock`,
      );
    }
    if (!(await this.keys.claimNonce(security.apiKeyId, nonce, Number(timestamp)))) {
      return this.refuse(
        req,
        actor,
        'signature_failed',
        'NONCE_REUSED',
        'X-Nonce was already used by this API key',
      );
    }
  }

  private async openEnvelope(req: RawBodyRequest, actor: Actor, security: KeySecurity): Promise<void> {
    if (!req.rawBody || req.rawBody.length === 0) return; // nothing was sent, nothing to hide
    const encrypted = envelopeOf(req.body);
    if (encrypted === null) {
      return this.refuse(
        req,
        actor,
        'envelope_failed',
        'ENVELOPE_INVALID',
        'This API key requires the body as { "encrypted": "<base64 iv|ciphertext|tag>" }',
      );
    }
    const plaintext = security.encryptionKey ? decrypt(security.encryptionKey, encrypted) : null;
    if (!plaintext) {
      return this.refuse(
        req,
        actor,
        'envelope_failed',
        'ENVELOPE_INVALID',
        'The envelope does not decrypt with this API key’s encryption key',
      );
    }
    try {
      req.body = JSON.parse(plaintext.toString('utf8'));
    } catch {
      return this.refuse(req, actor, 'envelope_failed', 'ENVELOPE_INVALID', 'The decrypted body is not JSON');
    }
  }

  private async refuse(
    req: Request,
    actor: Actor,
    type: 'signature_failed' | 'envelope_failed',
    code: ErrorCode,
    message: string,
  ): Promise<never> {
    await this.audit.record({
      type,
      tenantId: actor.tenantId,
      apiKeyId: actor.apiKeyId,
      details: { code, method: req.method, path: req.path },
    });
    throw new DomainError(code, message);
  }
}
