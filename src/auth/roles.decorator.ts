import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ErrorResponse } from '../common/error.response';
import type { Role } from '../users/users.tables';

export const ROLES_KEY = 'kilowatt:roles';
export const PUBLIC_KEY = 'kilowatt:public';

/** Who may call the route. Writes the Swagger security too, so docs and guard cannot disagree. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credentials', type: ErrorResponse }),
    ApiForbiddenResponse({ description: `Allowed roles: ${roles.join(', ')}`, type: ErrorResponse }),
  );

/** The explicit exception to deny-by-default. Credentials, if sent, are still checked. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ user?: Actor }>().user;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});

/** The actor when credentials were sent to a public route, else undefined. */
export const OptionalActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor | undefined =>
    ctx.switchToHttp().getRequest<{ user?: Actor }>().user,
);
