// Kept so existing imports of the claim types still compile: passport strategies were replaced by
// the per-app CredentialsService. Import from './token-claims' in new code.
export type { AccessTokenClaims, ClientTokenClaims } from './token-claims';
