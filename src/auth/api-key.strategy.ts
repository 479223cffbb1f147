import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport';
import type { Actor } from '../common/actor';
import { ApiKeysService } from './api-keys.service';

type Verify = (key: string, done: (err: unknown, actor?: Actor | false) => void) => void;

/** Reads `X-API-Key`. Sent together with `Authorization`, the key is ignored: one credential per request. */
class HeaderApiKeyStrategy extends Strategy {
  override name = 'api-key';

  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(req: Request): void {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '' || req.headers.authorization) return this.fail(401);
    this.verify(key, (err, actor) => {
      if (err) return this.error(err);
      if (!actor) return this.fail(401);
      this.success(actor);
    });
  }
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderApiKeyStrategy, 'api-key') {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  validate(key: string): Promise<Actor | false> {
    return this.keys.authenticate(key);
  }
}
