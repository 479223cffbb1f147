import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import type { Role } from '../users/users.tables';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

const hasCredentials = (req: Request) => Boolean(req.headers.authorization || req.headers['x-api-key']);

/** Global, deny by default: a route needs @Roles(...) or @Public(). */
@Injectable()
export class ActorGuard extends AuthGuard(['jwt']) {
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
    const actor = req.user as Actor;
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', `This route is for: ${roles.join(', ')}`);
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired credentials');
    return user;
  }
}
