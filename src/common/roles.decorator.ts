import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { Actor, ApiKeyScope, Role } from './actor';
import { ApiErrors } from './api-errors';

export const ROLES_KEY = 'kilowatt:roles';
export const PUBLIC_KEY = 'kilowatt:public';
export const ACCOUNT_ONLY_KEY = 'kilowatt:account-only';
export const API_KEY_SCOPE_KEY = 'kilowatt:api-key-scope';

export const API_KEY_RULE =
  'API keys: a key with the `admin` scope acts as role admin of its tenant, others as role user; GET needs scope `read`, other methods `admin` unless the route names its scope (start/stop charging: `charge`). A key never acts as root.';

/** Who may call the route. Writes the Swagger security too, so docs and guard cannot disagree. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiErrors(
      'UNAUTHENTICATED',
      { SIGNATURE_MISSING: 'the API key requires signed requests' },
      'SIGNATURE_INVALID',
      'TIMESTAMP_OUT_OF_WINDOW',
      'NONCE_REUSED',
      { FORBIDDEN: `allowed roles: ${roles.join(', ')}. ${API_KEY_RULE}` },
    ),
  );

/** Refuses API-key callers (403): the route acts on an account's own credentials or on the platform. */
export const AccountOnly = () =>
  applyDecorators(
    SetMetadata(ACCOUNT_ONLY_KEY, true),
    ApiErrors({ FORBIDDEN: 'API keys are refused: log in as an account' }),
  );

/**
 * The scope an API key needs for this route. Without it: GET/HEAD need `read`, anything else `admin`.
 * Start/stop charging routes declare `@ApiKeyScope('charge')`.
 */
export const ApiKeyScopeRequired = (scope: ApiKeyScope) =>
  applyDecorators(SetMetadata(API_KEY_SCOPE_KEY, scope), ApiExtension('x-api-key-scope', scope));

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
