import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Actor, ApiKeyScope, hasScope, isApiKey } from '../common/actor';
import { DomainError } from '../common/domain-error';
import type { Role } from '../common/actor';
import { CredentialsService } from './credentials.service';
import { ACCOUNT_ONLY_KEY, API_KEY_SCOPE_KEY, PUBLIC_KEY, ROLES_KEY } from '../common/roles.decorator';

const READ_METHODS = new Set(['GET', 'HEAD']);
type Targets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * Global, deny by default: a route needs @Roles(...) or @Public(). Bearer tokens (account or
 * client-credentials) and `X-API-Key` all resolve to one Actor on `req.user`. An API key also
 * needs the route's scope: @ApiKeyScopeRequired, else `read` for GET/HEAD and `admin` otherwise.
 * Credentials sent to a @Public route are still checked (a signup with an API key uses its tenant).
 */
@Injectable()
export class ActorGuard implements CanActivate {
  private readonly logger = new Logger(ActorGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();

    if (!isPublic && !roles) {
      this.logger.error(`${req.method} ${req.path} declares neither @Roles nor @Public; refused`);
      throw new DomainError('FORBIDDEN', 'This route is not open to any caller');
    }
    const actor = await this.credentials.authenticate(req);
    if (actor) req.user = actor;
    if (isPublic) return true;
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired credentials');
    if (isApiKey(actor)) this.checkApiKey(actor, req, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', `This route is for: ${roles.join(', ')}`);
    }
    return true;
  }

  private checkApiKey(actor: Actor, req: Request, targets: Targets): void {
    if (this.reflector.getAllAndOverride<boolean>(ACCOUNT_ONLY_KEY, targets)) {
      throw new DomainError('FORBIDDEN', 'API keys cannot call this route; log in as an account');
    }
    const declared = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE_KEY, targets);
    const needed: ApiKeyScope = declared ?? (READ_METHODS.has(req.method) ? 'read' : 'admin');
    if (!hasScope(actor, needed)) {
      throw new DomainError('FORBIDDEN', `This route needs an API key with the ${needed} scope`);
    }
  }
}
