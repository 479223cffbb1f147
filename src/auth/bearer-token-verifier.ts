import type { Request } from 'express';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AccessTokenClaims, ClientTokenClaims } from './token-claims';

export type BearerClaims = AccessTokenClaims | ClientTokenClaims;

type StrategyRun = Strategy & {
  success(claims: BearerClaims): void;
  fail(): void;
  error(err: unknown): void;
};

/**
 * passport-jwt's strategy, owned by one application instance instead of passport's process-wide
 * registry: two apps in one process (as the multi-node tests run) would otherwise verify with the
 * last one's key. Each verification runs on a fresh object, the way passport augments a strategy
 * per request. HS256 only: an `alg: none` or otherwise signed token fails.
 */
export class BearerTokenVerifier {
  private readonly strategy: Strategy;

  constructor(secret: string) {
    this.strategy = new Strategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        // A KeyObject made once: given the string, jsonwebtoken builds one on every verification.
        secretOrKey: createSecretKey(Buffer.from(secret, 'utf8')) as unknown as string,
        algorithms: ['HS256'],
      },
      (claims: BearerClaims, done: (err: unknown, claims?: BearerClaims) => void) => done(null, claims),
    );
  }

  verify(token: string): Promise<BearerClaims | false> {
    return new Promise((resolve) => {
      const run = Object.create(this.strategy) as StrategyRun;
      run.success = (claims) => resolve(claims);
      run.fail = () => resolve(false);
      run.error = () => resolve(false);
      run.authenticate({ headers: { authorization: `Bearer ${token}` } } as Request, {});
    });
  }
}
