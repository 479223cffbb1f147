import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { Actor, ApiKeyScope, hasScope, isApiKey } from '../common/actor';
import { DomainError } from '../common/domain-error';
import type { Role } from '../users/users.tables';
import { ACCOUNT_ONLY_KEY, API_KEY_SCOPE_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

const hasCredentials = (req: Request) => Boolean(req.headers.authorization || req.headers['x-api-key']);
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Global, deny by default: a route needs @Roles(...) or @Public(). Bearer tokens (account or
 * client-credentials) and `X-API-Key` all resolve to one Actor. An API key additionally needs the
 * route's scope: @ApiKeyScopeRequired, else `read` for GET/HEAD and `admin` for anything else.
 */
@Injectable()
export class ActorGuard extends AuthGuard(['jwt', 'api-key']) {
  private readonly logger = new Logger(ActorGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();

    if (isPublic && !hasCredentials(req)) return true;
    if (!isPublic && !roles) {
      this.logger.error(`${req.method} ${req.path} declares neither @Roles nor @Public; refused`);
      throw new DomainError('FORBIDDEN', 'This route is not open to any caller');
    }
    await super.canActivate(ctx);
    if (isPublic) return true;
    const actor = req.user as Actor;
    if (isApiKey(actor)) this.checkApiKey(actor, req, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', `This route is for: ${roles.join(', ')}`);
    }
    return true;
  }

  private checkApiKey(actor: Actor, req: Request, targets: Parameters<Reflector['getAllAndOverride']>[1]) {
    if (this.reflector.getAllAndOverride<boolean>(ACCOUNT_ONLY_KEY, targets)) {
      throw new DomainError('FORBIDDEN', 'API keys cannot call this route; log in as an account');
    }
    const declared = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE_KEY, targets);
    const needed: ApiKeyScope = declared ?? (READ_METHODS.has(req.method) ? 'read' : 'admin');
    if (!hasScope(actor, needed)) {
      throw new DomainError('FORBIDDEN', `This route needs an API key with the ${needed} scope`);
    }
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired credentials');
    return user;
  }
}
