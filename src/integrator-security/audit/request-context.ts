import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

const origins = new AsyncLocalStorage<RequestOrigin>();

/** Where the current HTTP request came from, for the audit log; null outside a request. */
export const currentOrigin = (): RequestOrigin | null => origins.getStore() ?? null;

/** Lets the audit log know the caller's address and user agent without threading them through services. */
@Injectable()
export class RequestOriginMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const ua = req.headers['user-agent'];
    origins.run({ ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null }, next);
  }
}
