import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser, anApiKey, theRoot } from '../factories/accounts';
import { TenantsService } from '../../src/tenants/tenants.service';

/** Who calls: an account token, an API key of a scope, a client-credentials token, or nobody. */
type Caller = 'anonymous' | 'user' | 'admin' | 'root' | 'keyRead' | 'keyCharge' | 'keyAdmin' | 'clientAdmin';
const CALLERS: Caller[] = [
  'anonymous',
  'user',
  'admin',
  'root',
  'keyRead',
  'keyCharge',
  'keyAdmin',
  'clientAdmin',
];

type Method = 'get' | 'post' | 'patch' | 'delete';
interface RouteCase {
  method: Method;
  path: string;
  body?: object;
  allowed: Caller[] | 'everyone';
}

const ACCOUNTS: Caller[] = ['user', 'admin', 'root'];
const ADMINS: Caller[] = ['admin', 'root', 'keyAdmin', 'clientAdmin'];
const SELF_OR_ADMIN: Caller[] = ['user', ...ADMINS];
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('role × route matrix', () => {
  let t: TestApp;
  const headers = {} as Record<Caller, Record<string, string>>;
  const ids = {} as { userId: string; tagId: string; keyId: string; tenantId: string };

  beforeAll(async () => {
    t = await startApp();
    const user: TestAccount = await aUser(t);
    const admin = await aDefaultTenantAdmin(t);
    const root = await theRoot(t);
    const keyRead = await anApiKey(t, admin, ['read']);
    const keyCharge = await anApiKey(t, admin, ['charge']);
    const keyAdmin = await anApiKey(t, admin, ['admin']);
    const client = await t.http
      .post('/api/v1/auth/token')
      .send({ keyId: keyAdmin.id, secret: keyAdmin.secret })
      .expect(200);
    Object.assign(headers, {
      anonymous: {},
      user: user.auth,
      admin: admin.auth,
      root: root.auth,
      keyRead: keyRead.header,
      keyCharge: keyCharge.header,
      keyAdmin: keyAdmin.header,
      clientAdmin: { Authorization: `Bearer ${client.body.accessToken}` },
    });
    const tags = await t.http.get('/api/v1/id-tags').set(user.auth).expect(200);
    Object.assign(ids, {
      userId: user.userId,
      tagId: tags.body.items[0].id,
      keyId: keyRead.id,
      tenantId: (await t.app.get(TenantsService).ensureDefaultTenant()).id,
    });
  });
  afterAll(() => t.close());

  const resolve = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'missing' ? MISSING : ids[name as keyof typeof ids],
    );

  const routes: RouteCase[] = [
    { method: 'post', path: '/api/signup', body: {}, allowed: 'everyone' },
    { method: 'post', path: '/api/login', body: {}, allowed: 'everyone' },
    { method: 'post', path: '/api/v1/auth/signup', body: {}, allowed: 'everyone' },
    { method: 'post', path: '/api/v1/auth/login', body: {}, allowed: 'everyone' },
    { method: 'post', path: '/api/v1/auth/refresh', body: {}, allowed: 'everyone' },
    { method: 'post', path: '/api/v1/auth/token', body: {}, allowed: 'everyone' },
    { method: 'get', path: '/api/v1/auth/me', allowed: ACCOUNTS },
    { method: 'post', path: '/api/v1/auth/logout', body: {}, allowed: ACCOUNTS },
    { method: 'post', path: '/api/v1/auth/password', body: {}, allowed: ACCOUNTS },
    { method: 'get', path: '/api/v1/users', allowed: ADMINS },
    { method: 'post', path: '/api/v1/users', body: {}, allowed: ADMINS },
    { method: 'get', path: `/api/v1/users/{userId}`, allowed: SELF_OR_ADMIN },
    { method: 'patch', path: `/api/v1/users/{userId}`, body: {}, allowed: SELF_OR_ADMIN },
    { method: 'get', path: `/api/v1/users/{userId}/id-tags`, allowed: SELF_OR_ADMIN },
    { method: 'post', path: `/api/v1/users/{userId}/id-tags`, body: {}, allowed: SELF_OR_ADMIN },
    { method: 'get', path: '/api/v1/id-tags', allowed: SELF_OR_ADMIN },
    { method: 'post', path: '/api/v1/id-tags', body: {}, allowed: SELF_OR_ADMIN },
    { method: 'get', path: `/api/v1/id-tags/{tagId}`, allowed: SELF_OR_ADMIN },
    { method: 'patch', path: `/api/v1/id-tags/{tagId}`, body: {}, allowed: SELF_OR_ADMIN },
    { method: 'delete', path: `/api/v1/id-tags/{missing}`, allowed: SELF_OR_ADMIN },
    { method: 'get', path: '/api/v1/tenants', allowed: ['root'] },
    { method: 'post', path: '/api/v1/tenants', body: {}, allowed: ['root'] },
    { method: 'get', path: `/api/v1/tenants/{tenantId}`, allowed: ['root'] },
    { method: 'patch', path: `/api/v1/tenants/{tenantId}`, body: {}, allowed: ['root'] },
    { method: 'get', path: '/api/v1/api-keys', allowed: ['admin', 'root'] },
    { method: 'post', path: '/api/v1/api-keys', body: {}, allowed: ['admin', 'root'] },
    { method: 'get', path: `/api/v1/api-keys/{keyId}`, allowed: ['admin', 'root'] },
    { method: 'delete', path: `/api/v1/api-keys/{missing}`, allowed: ['admin', 'root'] },
  ];

  it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s lets exactly the declared callers through and refuses the rest with 401/403',
    async (_name, r) => {
      const wrong: string[] = [];
      for (const caller of CALLERS) {
        let req = t.http[r.method](resolve(r.path)).set(headers[caller]);
        if (r.body) req = req.send(r.body);
        const res = await req;
        const allowed = r.allowed === 'everyone' || r.allowed.includes(caller);
        const expected = allowed ? 'through' : caller === 'anonymous' ? 401 : 403;
        const got = res.status === 401 || res.status === 403 ? res.status : 'through';
        if (got !== expected || res.status >= 500) wrong.push(`${caller}: ${res.status} ${res.body.code}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('documents every one of these routes in Swagger with its auth schemes', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    for (const r of routes) {
      const template = Object.keys(doc.body.paths).find(
        (p) => p.replace(/\{[^}]+\}/g, '{}') === r.path.replace(/\{[^}]+\}/g, '{}'),
      );
      expect(template).toBeDefined();
      const op = doc.body.paths[template as string][r.method];
      expect(op.responses).toBeDefined();
      if (r.allowed !== 'everyone') expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    }
  });
});
