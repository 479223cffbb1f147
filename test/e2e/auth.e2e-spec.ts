import { createHmac } from 'node:crypto';
import { TestApp, startApp } from '../app';
import {
  TEST_PASSWORD,
  aTenantWithAdmin,
  aUser,
  anApiKey,
  loginAs,
  theRoot,
  uniqueName,
} from '../factories/accounts';

const b64url = (v: object | string) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const sign = (header: object, payload: object, secret: string) => {
  const head = `${b64url(header)}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

describe('accounts and tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('signs up with v1 and returns access and refresh tokens, the idTag and role user', async () => {
    const username = uniqueName();
    const res = await t.http
      .post('/api/v1/auth/signup')
      .send({ username, password: TEST_PASSWORD, email: `${username}@example.com` })
      .expect(201);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, role: 'user' });
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.idTag).toMatch(/^[0-9A-Z]{1,20}$/);
    expect(claimsOf(res.body.accessToken)).toMatchObject({
      sub: res.body.userId,
      role: 'user',
      typ: 'access',
    });
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ id: res.body.userId, username, role: 'user', idTag: res.body.idTag });
  });

  it('logs in with the email as well as the username', async () => {
    const username = uniqueName();
    await t.http
      .post('/api/v1/auth/signup')
      .send({ username, password: TEST_PASSWORD, email: `${username}@example.com` })
      .expect(201);
    const byEmail = await loginAs(t, `${username.toUpperCase()}@EXAMPLE.COM`, TEST_PASSWORD);
    expect(byEmail.username).toBeDefined();
    await t.http.post('/api/v1/auth/login').send({ username, password: 'wrong-password' }).expect(401);
  });

  it('answers 409 USERNAME_TAKEN for a second signup with the same name', async () => {
    const u = await aUser(t);
    const res = await t.http
      .post('/api/signup')
      .send({ username: u.username, password: TEST_PASSWORD })
      .expect(409);
    expect(res.body.code).toBe('USERNAME_TAKEN');
  });

  it('makes the access token expire after JWT_ACCESS_TTL_SECONDS (15 minutes by default)', async () => {
    const u = await aUser(t);
    const c = claimsOf(u.token);
    expect(c.exp - c.iat).toBe(900);
  });

  it('refuses to let a signup choose its role or tenant', async () => {
    const { tenantId } = await aTenantWithAdmin(t);
    for (const extra of [{ role: 'admin' }, { role: 'root' }, { tenantId }, { status: 'active' }]) {
      const res = await t.http
        .post('/api/v1/auth/signup')
        .send({ username: uniqueName(), password: TEST_PASSWORD, ...extra })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      await t.http
        .post('/api/signup')
        .send({ username: uniqueName(), password: TEST_PASSWORD, ...extra })
        .expect(400);
    }
  });

  it("creates a signup sent with a tenant's admin API key in that tenant, and others in the default tenant", async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const key = await anApiKey(t, admin, ['admin']);
    const viaKey = await t.http
      .post('/api/signup')
      .set(key.header)
      .send({ username: uniqueName(), password: TEST_PASSWORD })
      .expect(201);
    const tenantOf = (jwt: string) => claimsOf(jwt).tid;
    expect(tenantOf(viaKey.body.access_token)).toBe(tenantId);
    const plain = await aUser(t);
    expect(tenantOf(plain.token)).not.toBe(tenantId);
    const listed = await t.http.get('/api/v1/users').set(admin.auth).expect(200);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toContain(
      claimsOf(viaKey.body.access_token).sub,
    );
  });

  it.each([[['read']], [['charge']], [['read', 'charge']]] as const)(
    'refuses a signup through a key with the scopes %j (403): creating accounts needs admin',
    async (scopes) => {
      const { admin } = await aTenantWithAdmin(t);
      const key = await anApiKey(t, admin, [...scopes]);
      const username = uniqueName();
      for (const route of ['/api/v1/auth/signup', '/api/signup']) {
        const res = await t.http
          .post(route)
          .set(key.header)
          .send({ username, password: TEST_PASSWORD })
          .expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const listed = await t.http.get('/api/v1/users').set(admin.auth).expect(200);
      expect(listed.body.items.map((u: { username: string }) => u.username)).not.toContain(username);
    },
  );

  it('refuses a signup with an invalid API key instead of silently using the default tenant', async () => {
    await t.http
      .post('/api/v1/auth/signup')
      .set('X-API-Key', 'kw_aaaaaaaaaaaa_' + 'x'.repeat(43))
      .send({ username: uniqueName(), password: TEST_PASSWORD })
      .expect(401);
  });

  describe('refresh tokens', () => {
    it('rotates: each refresh returns new tokens and spends the old refresh token', async () => {
      const s = await t.http
        .post('/api/v1/auth/signup')
        .send({ username: uniqueName(), password: TEST_PASSWORD });
      const first = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: s.body.refreshToken })
        .expect(200);
      expect(first.body.refreshToken).not.toBe(s.body.refreshToken);
      expect(first.body.idTag).toBe(s.body.idTag);
      await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${first.body.accessToken}`)
        .expect(200);
      const second = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: first.body.refreshToken })
        .expect(200);
      expect(second.body.userId).toBe(s.body.userId);
    });

    it('revokes the whole family when a spent refresh token is presented again', async () => {
      const s = await t.http
        .post('/api/v1/auth/signup')
        .send({ username: uniqueName(), password: TEST_PASSWORD });
      const next = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: s.body.refreshToken })
        .expect(200);
      const reuse = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: s.body.refreshToken })
        .expect(401);
      expect(reuse.body.code).toBe('UNAUTHENTICATED');
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: next.body.refreshToken }).expect(401);
    });

    it('answers 401 for an unknown refresh token', async () => {
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: 'x'.repeat(43) })
        .expect(401);
    });

    it('logout revokes the session of the given refresh token', async () => {
      const s = await t.http
        .post('/api/v1/auth/signup')
        .send({ username: uniqueName(), password: TEST_PASSWORD });
      const auth = { Authorization: `Bearer ${s.body.accessToken}` };
      await t.http
        .post('/api/v1/auth/logout')
        .set(auth)
        .send({ refreshToken: s.body.refreshToken })
        .expect(204);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.body.refreshToken }).expect(401);
    });

    it("logout cannot revoke another account's refresh token", async () => {
      const victim = await t.http
        .post('/api/v1/auth/signup')
        .send({ username: uniqueName(), password: TEST_PASSWORD });
      const attacker = await aUser(t);
      await t.http
        .post('/api/v1/auth/logout')
        .set(attacker.auth)
        .send({ refreshToken: victim.body.refreshToken })
        .expect(204);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: victim.body.refreshToken }).expect(200);
    });

    it('logout everywhere ends every refresh token and every access token issued so far', async () => {
      const u = await aUser(t);
      const other = await t.http
        .post('/api/v1/auth/login')
        .send({ username: u.username, password: TEST_PASSWORD });
      await t.http.post('/api/v1/auth/logout').set(u.auth).send({ everywhere: true }).expect(204);
      await t.http.get('/api/v1/auth/me').set(u.auth).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(401);
      await loginAs(t, u.username, TEST_PASSWORD);
    });
  });

  describe('password change', () => {
    it('needs the current password, then revokes the old tokens and returns working new ones', async () => {
      const u = await aUser(t);
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username: u.username, password: TEST_PASSWORD });
      const wrong = await t.http
        .post('/api/v1/auth/password')
        .set(u.auth)
        .send({ currentPassword: 'not-it', newPassword: 'a-brand-new-Passphrase-77' })
        .expect(400);
      expect(wrong.body.details.fields[0].field).toBe('currentPassword');
      const changed = await t.http
        .post('/api/v1/auth/password')
        .set(u.auth)
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-Passphrase-77' })
        .expect(200);
      await t.http.get('/api/v1/auth/me').set(u.auth).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
      await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${changed.body.accessToken}`)
        .expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: u.username, password: TEST_PASSWORD })
        .expect(401);
      await loginAs(t, u.username, 'a-brand-new-Passphrase-77');
    });
  });

  describe('bad bearer tokens answer 401', () => {
    let good: string;
    beforeAll(async () => {
      good = (await aUser(t)).token;
    });
    const call = (token: string) => t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

    it('accepts the untouched token (control)', async () => {
      await call(good).expect(200);
    });

    it('refuses a token whose payload was tampered with (role raised to root)', async () => {
      const [h, , s] = good.split('.');
      const res = await call(`${h}.${b64url({ ...claimsOf(good), role: 'root' })}.${s}`).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a token signed with another key', async () => {
      await call(
        sign({ alg: 'HS256', typ: 'JWT' }, claimsOf(good), 'not-the-secret-not-the-secret-xx'),
      ).expect(401);
    });

    it('refuses an alg:none token', async () => {
      await call(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsOf(good))}.`).expect(401);
    });

    it('refuses an expired token even when correctly signed', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = { ...claimsOf(good), iat: now - 1000, iatMs: (now - 1000) * 1000, exp: now - 100 };
      await call(sign({ alg: 'HS256', typ: 'JWT' }, expired, t.config.jwtSecret)).expect(401);
    });

    it('refuses a correctly signed token that is not an access token', async () => {
      await call(
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claimsOf(good), typ: 'refresh' }, t.config.jwtSecret),
      ).expect(401);
    });

    it('refuses garbage and an empty bearer', async () => {
      await call('not.a.jwt').expect(401);
      await t.http.get('/api/v1/auth/me').set('Authorization', 'Bearer').expect(401);
    });
  });

  describe('the password policy (NIST SP 800-63B: no common, breached or guessable password)', () => {
    it.each(['password', '12345678', 'qwerty123', 'P@ssw0rd!', 'iloveyou2'])(
      'refuses %s at signup, on both routes, naming the field',
      async (password) => {
        for (const route of ['/api/v1/auth/signup', '/api/signup']) {
          const res = await t.http.post(route).send({ username: uniqueName(), password }).expect(400);
          expect(res.body.code).toBe('VALIDATION_FAILED');
          expect(res.body.details.fields).toEqual([
            { field: 'password', errors: [expect.stringMatching(/^password is too easy to guess/)] },
          ]);
        }
      },
    );

    it('refuses a password built from the username', async () => {
      const username = `zanzibar${Date.now().toString(36).slice(-4)}`;
      const res = await t.http
        .post('/api/v1/auth/signup')
        .send({ username, password: `${username}2024!` })
        .expect(400);
      expect(res.body.details.fields[0].field).toBe('password');
    });

    it('refuses a weak password when an admin creates an account and at a password change', async () => {
      const { admin } = await aTenantWithAdmin(t);
      const created = await t.http
        .post('/api/v1/users')
        .set(admin.auth)
        .send({ username: uniqueName(), password: '12345678' })
        .expect(400);
      expect(created.body.details.fields[0]).toMatchObject({ field: 'password' });
      const u = await aUser(t);
      const changed = await t.http
        .post('/api/v1/auth/password')
        .set(u.auth)
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'password1' })
        .expect(400);
      expect(changed.body.details.fields[0]).toMatchObject({
        field: 'newPassword',
        errors: [expect.stringMatching(/^newPassword is too easy to guess: .+/)],
      });
      await loginAs(t, u.username, TEST_PASSWORD);
    });

    it('accepts a long passphrase', async () => {
      await t.http
        .post('/api/v1/auth/signup')
        .send({ username: uniqueName(), password: 'orbit kettle amber velvet' })
        .expect(201);
    });
  });

  describe('what ends refresh tokens', () => {
    const signup = async () => {
      const username = uniqueName();
      const res = await t.http
        .post('/api/v1/auth/signup')
        .send({ username, password: TEST_PASSWORD })
        .expect(201);
      return { username, body: res.body };
    };

    it('disabling an account: its refresh token stays dead after the account is enabled again', async () => {
      const root = await theRoot(t);
      const s = await signup();
      const path = `/api/v1/users/${s.body.userId}`;
      await t.http.patch(path).set(root.auth).send({ status: 'disabled' }).expect(200);
      await t.http.patch(path).set(root.auth).send({ status: 'active' }).expect(200);
      const res = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: s.body.refreshToken })
        .expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      await loginAs(t, s.username, TEST_PASSWORD);
    });

    it('changing the role of an account, either way', async () => {
      const root = await theRoot(t);
      const s = await signup();
      const path = `/api/v1/users/${s.body.userId}`;
      await t.http.patch(path).set(root.auth).send({ role: 'admin' }).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.body.refreshToken }).expect(401);
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username: s.username, password: TEST_PASSWORD })
        .expect(200);
      await t.http.patch(path).set(root.auth).send({ role: 'user' }).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    });

    it('an unrelated change (the email) leaves them working', async () => {
      const root = await theRoot(t);
      const s = await signup();
      await t.http
        .patch(`/api/v1/users/${s.body.userId}`)
        .set(root.auth)
        .send({ email: `${uniqueName()}@example.com` })
        .expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.body.refreshToken }).expect(200);
    });
  });

  describe('disabled accounts and tenants', () => {
    it('a disabled account cannot log in and its tokens stop at once', async () => {
      const root = await theRoot(t);
      const u = await aUser(t);
      await t.http.patch(`/api/v1/users/${u.userId}`).set(root.auth).send({ status: 'disabled' }).expect(200);
      await t.http.get('/api/v1/auth/me').set(u.auth).expect(401);
      const res = await t.http
        .post('/api/login')
        .send({ username: u.username, password: TEST_PASSWORD })
        .expect(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
    });
  });
});

describe('two applications in one process', () => {
  it('each checks tokens against its own database and signing key', async () => {
    const a = await startApp();
    const b = await startApp();
    try {
      const ua = await aUser(a);
      const ub = await aUser(b);
      await a.http.get('/api/v1/auth/me').set(ua.auth).expect(200);
      await b.http.get('/api/v1/auth/me').set(ub.auth).expect(200);
      await b.http.get('/api/v1/auth/me').set(ua.auth).expect(401);
      await a.http.get('/api/v1/auth/me').set(ub.auth).expect(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
