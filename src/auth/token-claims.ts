import type { Role } from '../common/actor';

/** An account's access token. `iatMs` makes revocation exact to the millisecond. */
export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  typ: 'access';
  iatMs: number;
  iat: number;
  exp: number;
}

/** A client-credentials token exchanged for an API key: it acts as the key. */
export interface ClientTokenClaims {
  sub: string;
  tid: string;
  typ: 'client';
  iat: number;
  exp: number;
}
