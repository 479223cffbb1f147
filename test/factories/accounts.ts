import type { TestApp } from '../app';
import { AuthService } from '../../src/auth/auth.service';
import { TenantsService } from '../../src/tenants/tenants.service';
import { UsersService } from '../../src/users/users.service';
import type { Role } from '../../src/common/actor';

export interface TestAccount {
  token: string;
  idTag: string;
  userId: string;
  username: string;
  auth: { Authorization: string };
}

export interface TestApiKey {
  id: string;
  key: string;
  secret: string;
  tenantId: string;
  header: { 'X-API-Key': string };
}

/** The password factories give accounts: strong enough for the password policy. */
export const TEST_PASSWORD = 'Amber-Kettle-Orbit-42';

let seq = 0;
export const uniqueName = (prefix = 'user') => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`;

/** Signs a user up over HTTP, as a driver's app would. */
export async function aUser(
  t: TestApp,
  overrides: { username?: string; password?: string } = {},
): Promise<TestAccount> {
  const username = overrides.username ?? uniqueName();
  const res = await t.http
    .post('/api/v1/auth/signup')
    .send({ username, password: overrides.password ?? TEST_PASSWORD })
    .expect(201);
  return {
    token: res.body.accessToken,
    idTag: res.body.idTag,
    userId: res.body.userId,
    username,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

/** Logs in over HTTP (subject to the login rate limits of the app under test). */
export async function loginAs(t: TestApp, username: string, password: string): Promise<TestAccount> {
  const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
  return {
    token: res.body.accessToken,
    idTag: res.body.idTag,
    userId: res.body.userId,
    username,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

/**
 * A real access token for an existing account, minted by AuthService as a login would. Factories use
 * it so that tests calling them often are not slowed or refused by the login rate limits.
 */
export async function sessionOf(t: TestApp, username: string): Promise<TestAccount> {
  const users = t.app.get(UsersService);
  const user = await users.findByLogin(username);
  if (!user) throw new Error(`No account ${username}`);
  const { accessToken } = t.app.get(AuthService).issueAccessToken(user);
  return {
    token: accessToken,
    idTag: await users.appIdTagOf(user.tenantId, user.id),
    userId: user.id,
    username: user.username,
    auth: { Authorization: `Bearer ${accessToken}` },
  };
}

export const theRoot = (t: TestApp) => sessionOf(t, 'root');

/** An account created through UsersService in a given tenant (any role), with a token. */
export async function anAccount(
  t: TestApp,
  opts: { tenantId?: string; role?: Role; username?: string; password?: string } = {},
): Promise<TestAccount & { tenantId: string }> {
  const tenantId = opts.tenantId ?? (await t.app.get(TenantsService).ensureDefaultTenant()).id;
  const username = opts.username ?? uniqueName(opts.role ?? 'user');
  await t.app.get(UsersService).createAccount({
    tenantId,
    username,
    password: opts.password ?? TEST_PASSWORD,
    role: opts.role ?? 'user',
  });
  return { ...(await sessionOf(t, username)), tenantId };
}

/** A new tenant with an admin account, created through the owning services (as root would). */
export async function aTenantWithAdmin(
  t: TestApp,
  opts: { allowAutoRegistration?: boolean } = {},
): Promise<{ tenantId: string; admin: TestAccount }> {
  const slug = uniqueName('tenant');
  const tenant = await t.app.get(TenantsService).create({ slug, name: slug, ...opts });
  const admin = await anAccount(t, { tenantId: tenant.id, role: 'admin' });
  return { tenantId: tenant.id, admin };
}

/** An admin of the default tenant (the tenant plain signups land in). */
export async function aDefaultTenantAdmin(t: TestApp): Promise<TestAccount> {
  return anAccount(t, { role: 'admin' });
}

/** Issues an API key over HTTP with an admin's (or root's) token. */
export async function anApiKey(
  t: TestApp,
  issuer: TestAccount,
  scopes: Array<'read' | 'charge' | 'admin'> = ['read'],
  extra: { tenantId?: string; expiresAt?: string } = {},
): Promise<TestApiKey> {
  const res = await t.http
    .post('/api/v1/api-keys')
    .set(issuer.auth)
    .send({ name: uniqueName('key'), scopes, ...extra })
    .expect(201);
  return {
    id: res.body.id,
    key: res.body.key,
    secret: res.body.secret,
    tenantId: res.body.tenantId,
    header: { 'X-API-Key': res.body.key },
  };
}
