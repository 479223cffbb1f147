import type { TestApp } from '../app';
import { TenantsService } from '../../src/tenants/tenants.service';
import { UsersService } from '../../src/users/users.service';

export interface TestAccount {
  token: string;
  idTag: string;
  userId: string;
  username: string;
  auth: { Authorization: string };
}

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
    .send({ username, password: overrides.password ?? 'password-123' })
    .expect(201);
  return {
    token: res.body.accessToken,
    idTag: res.body.idTag,
    userId: res.body.userId,
    username,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

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

export const theRoot = (t: TestApp) => loginAs(t, 'root', t.rootPassword);

/**
 * A new tenant with an admin account, created through the owning services (as root would), then
 * logged in over HTTP.
 */
export async function aTenantWithAdmin(
  t: TestApp,
  opts: { allowAutoRegistration?: boolean } = {},
): Promise<{ tenantId: string; admin: TestAccount }> {
  const slug = uniqueName('tenant');
  const tenant = await t.app.get(TenantsService).create({ slug, name: slug, ...opts });
  const username = uniqueName('admin');
  await t.app
    .get(UsersService)
    .createAccount({ tenantId: tenant.id, username, password: 'password-123', role: 'admin' });
  return { tenantId: tenant.id, admin: await loginAs(t, username, 'password-123') };
}

/** An admin of the default tenant (the tenant plain signups land in). */
export async function aDefaultTenantAdmin(t: TestApp): Promise<TestAccount> {
  const tenant = await t.app.get(TenantsService).ensureDefaultTenant();
  const username = uniqueName('admin');
  await t.app
    .get(UsersService)
    .createAccount({ tenantId: tenant.id, username, password: 'password-123', role: 'admin' });
  return loginAs(t, username, 'password-123');
}
