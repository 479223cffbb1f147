import type { TestApp } from '../app';

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
