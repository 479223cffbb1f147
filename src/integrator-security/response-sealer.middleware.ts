import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { encrypt } from './envelope';
import { KeySecurity, KeySecurityService } from './key-security.service';
import { canonicalResponse, hmacHex } from './request-signature';

type Chunk = string | Buffer | Uint8Array;
type Callback = (err?: Error | null) => void;

const toBuffer = (chunk: Chunk, encoding?: BufferEncoding): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk);

const wantsSignature = (s: KeySecurity, req: Request) =>
  s.requireSignature || req.headers['x-signature'] !== undefined;

const needsSealing = (s: KeySecurity, req: Request) =>
  (s.signingKey !== null && wantsSignature(s, req)) || (s.requireEncryption && s.encryptionKey !== null);

/**
 * Signs (and, for keys that require it, encrypts) responses to API-key callers, whatever wrote them:
 * a controller, the exception filter (errors from guards and pipes included) or a stream. The body
 * is held back until `end`, so its digest can go into headers sent before it.
 *
 * - Signed: when the key has a signing key and requires signatures or the request carried
 *   X-Signature. Headers `X-Timestamp` and `X-Signature` over the bytes actually sent.
 * - Encrypted: when the key requires encryption, for 2xx/3xx JSON bodies. Errors are signed but
 *   not encrypted, so a client can always read why it was refused; they carry no resource data.
 *
 * Responses to accounts, and to keys that need neither, pass straight through unbuffered.
 */
@Injectable()
export class ResponseSealerMiddleware implements NestMiddleware {
  private readonly logger = new Logger(ResponseSealerMiddleware.name);

  constructor(private readonly keys: KeySecurityService) {}

  use(req: Request & { user?: Actor }, res: Response, next: NextFunction): void {
    const write = res.write.bind(res) as (chunk: Chunk, encoding?: BufferEncoding, cb?: Callback) => boolean;
    const end = res.end.bind(res) as (chunk?: Chunk, cb?: () => void) => Response;
    const chunks: Buffer[] = [];
    // Decided at the first write, when the guards have resolved the caller and usually its key's
    // settings: a key that needs nothing streams through; an unknown one is held back to be sure.
    let sealing: boolean | undefined;
    const isSealing = () => {
      if (sealing === undefined) {
        const known = req.user?.apiKeyId === undefined ? null : this.keys.knownFor(req);
        sealing = known === null ? false : known === undefined || needsSealing(known, req);
      }
      return sealing;
    };

    res.write = ((chunk: Chunk, encoding?: BufferEncoding | Callback, cb?: Callback) => {
      if (!isSealing()) return write(chunk, encoding as BufferEncoding, cb);
      chunks.push(toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined));
      const done = typeof encoding === 'function' ? encoding : cb;
      if (done) process.nextTick(done);
      return true;
    }) as Response['write'];

    res.end = ((...args: Array<Chunk | BufferEncoding | (() => void) | undefined>) => {
      const cb = args.find((a): a is () => void => typeof a === 'function');
      const chunk = typeof args[0] === 'function' ? undefined : (args[0] as Chunk | undefined);
      const encoding = typeof args[1] === 'string' ? (args[1] as BufferEncoding) : undefined;
      if (!isSealing()) return chunk === undefined ? end(undefined, cb) : end(toBuffer(chunk, encoding), cb);
      if (chunk !== undefined) chunks.push(toBuffer(chunk, encoding));
      void this.seal(req, res, Buffer.concat(chunks)).then((body) => end(body, cb));
      return res;
    }) as Response['end'];
    next();
  }

  /** The body to send, after setting the signature (and envelope) headers. Never throws. */
  private async seal(req: Request & { user?: Actor }, res: Response, body: Buffer): Promise<Buffer> {
    const actor = req.user as Actor & { apiKeyId: string };
    try {
      if (res.headersSent) return body;
      const security = await this.keys.ofRequest(req, actor.apiKeyId, actor.tenantId);
      const contentType = String(res.getHeader('content-type') ?? '');
      let out = body;
      if (
        security.requireEncryption &&
        security.encryptionKey &&
        res.statusCode < 400 &&
        body.length > 0 &&
        contentType.startsWith('application/json')
      ) {
        out = Buffer.from(JSON.stringify({ encrypted: encrypt(security.encryptionKey, body) }), 'utf8');
        res.removeHeader('ETag');
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
      }
      if (security.signingKey && wantsSignature(security, req)) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = typeof req.headers['x-nonce'] === 'string' ? req.headers['x-nonce'].trim() : '';
        const status = res.statusCode;
        res.setHeader('X-Timestamp', timestamp);
        res.setHeader(
          'X-Signature',
          hmacHex(
            security.signingKey,
            canonicalResponse({ timestamp, requestNonce: nonce, status, body: out }),
          ),
        );
      }
      const bodiless = req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
      if (!bodiless) res.setHeader('Content-Length', String(out.length));
      return out;
    } catch (err) {
      this.logger.error({ err }, 'Could not sign the response; sent unsigned');
      return body;
    }
  }
}
