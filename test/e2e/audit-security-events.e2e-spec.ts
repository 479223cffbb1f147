import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser, anAccount, anApiKey, theRoot } from '../factories/accounts';
import { aSecuredKey } from './integrator.helpers';

interface EventBody {
  id: string;
  type: string;
  tenantId: string | null;
  userId: string | null;
  apiKeyId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  at: string;
}

describe('security audit log', () => {
  let t: TestApp;
  let root: TestAccount;
  let tenant: { tenantId: string; admin: TestAccount };
  let foreign: { tenantId: string; admin: TestAccount };
  beforeAll(async () => {
    t = await startApp();
    root = await theRoot(t);
    tenant = await aTenantWithAdmin(t);
    foreign = await aTenantWithAdmin(t);
  });
  afterAll(() => t.close());

  const eventsOf = async (who: TestAccount, query = ''): Promise<EventBody[]> =>
    (await t.http.get(`/api/v1/security-events?limit=200${query}`).set(who.auth).expect(200)).body.items;

  it('records successful and failed logins with address and user agent, never the password', async () => {
    const account = await anAccount(t, { tenantId: tenant.tenantId, password: 'correct-horse-battery' });
    await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', 'audit-test/1.0')
      .send({ username: account.username, password: 'wrong-password-123' })
      .expect(401);
    await t.http
      .post('/api/login')
      .set('User-Agent', 'audit-test/1.0')
      .send({ username: account.username, password: 'correct-horse-battery' })
      .expect(200);
    const events = (await eventsOf(tenant.admin)).filter((e) => e.userId === account.userId);
    expect(events.map((e) => e.type)).toEqual(['login_succeeded', 'login_failed']);
    expect(events[0]).toMatchObject({
      tenantId: tenant.tenantId,
      userAgent: 'audit-test/1.0',
      ip: expect.any(String),
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain('wrong-password-123');
    expect(text).not.toContain('correct-horse-battery');
  });

  it('records a failed login for an unknown account without a tenant: root sees it, admins do not', async () => {
    await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', 'unknown-login-probe')
      .send({ username: 'nobody-by-this-name', password: 'whatever-123' })
      .expect(401);
    const forRoot = (await eventsOf(root, '&type=login_failed')).filter(
      (e) => e.userAgent === 'unknown-login-probe',
    );
    expect(forRoot).toHaveLength(1);
    expect(forRoot[0]).toMatchObject({ tenantId: null, userId: null });
    expect(JSON.stringify(forRoot)).not.toContain('nobody-by-this-name');
    const admins = [...(await eventsOf(tenant.admin)), ...(await eventsOf(foreign.admin))];
    expect(admins.some((e) => e.userAgent === 'unknown-login-probe')).toBe(false);
  });

  it('records keys issued and revoked, with who did it and without the secret', async () => {
    const key = await anApiKey(t, tenant.admin);
    await t.http.delete(`/api/v1/api-keys/${key.id}`).set(tenant.admin.auth).expect(204);
    const events = (await eventsOf(tenant.admin)).filter((e) => e.apiKeyId === key.id);
    expect(events.map((e) => e.type)).toEqual(['key_revoked', 'key_issued']);
    for (const e of events)
      expect(e).toMatchObject({ tenantId: tenant.tenantId, userId: tenant.admin.userId });
    expect(JSON.stringify(events)).not.toContain(key.secret);
  });

  it('records security setting changes, key issuance and signature failures of a key', async () => {
    const key = await aSecuredKey(t, tenant.admin, { requireSignature: true });
    await t.http.get('/api/v1/stations').set(key.header).expect(401);
    const events = (await eventsOf(tenant.admin)).filter((e) => e.apiKeyId === key.id);
    expect(events.map((e) => e.type)).toEqual([
      'signature_failed',
      'key_security_changed',
      'key_secrets_issued',
      'key_issued',
    ]);
    expect(events[0].details).toEqual({ code: 'SIGNATURE_MISSING', method: 'GET', path: '/api/v1/stations' });
    expect(JSON.stringify(events)).not.toContain(key.signingKey);
    const onlyFailures = await eventsOf(tenant.admin, '&type=signature_failed');
    expect(onlyFailures.every((e) => e.type === 'signature_failed')).toBe(true);
    expect(onlyFailures.some((e) => e.apiKeyId === key.id)).toBe(true);
  });

  it('shows an admin only its own tenant: another tenant’s events are absent and their ids 404', async () => {
    const key = await anApiKey(t, tenant.admin);
    const own = (await eventsOf(tenant.admin)).find((e) => e.apiKeyId === key.id);
    expect(own).toBeDefined();
    expect((await eventsOf(foreign.admin)).some((e) => e.tenantId === tenant.tenantId)).toBe(false);
    expect(
      (await eventsOf(foreign.admin, `&tenantId=${tenant.tenantId}`)).some(
        (e) => e.tenantId === tenant.tenantId,
      ),
    ).toBe(false);
    await t.http.get(`/api/v1/security-events/${own!.id}`).set(foreign.admin.auth).expect(404);
    await t.http.get(`/api/v1/security-events/${own!.id}`).set(tenant.admin.auth).expect(200);
    await t.http.get(`/api/v1/security-events/${own!.id}`).set(root.auth).expect(200);
  });

  it('lets root read every tenant and narrow to one', async () => {
    const narrowed = await eventsOf(root, `&tenantId=${tenant.tenantId}`);
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.every((e) => e.tenantId === tenant.tenantId)).toBe(true);
  });

  it('filters by time and pages newest first with a cursor', async () => {
    const admin = (await aTenantWithAdmin(t)).admin;
    const from = new Date().toISOString();
    for (let i = 0; i < 3; i++) await anApiKey(t, admin);
    const first = await t.http
      .get(`/api/v1/security-events?limit=2&from=${encodeURIComponent(from)}`)
      .set(admin.auth)
      .expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get(`/api/v1/security-events?limit=2&from=${encodeURIComponent(from)}&cursor=${first.body.nextCursor}`)
      .set(admin.auth)
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items] as EventBody[];
    expect(new Set(all.map((e) => e.id)).size).toBe(3);
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    const future = await t.http
      .get('/api/v1/security-events?from=2999-01-01T00:00:00Z')
      .set(admin.auth)
      .expect(200);
    expect(future.body.items).toEqual([]);
  });

  it('refuses users (403), anonymous callers (401) and names a bad filter (400)', async () => {
    const user = await aUser(t);
    await t.http.get('/api/v1/security-events').set(user.auth).expect(403);
    await t.http.get('/api/v1/security-events').expect(401);
    const bad = await t.http
      .get('/api/v1/security-events?type=coffee_spilled')
      .set(tenant.admin.auth)
      .expect(400);
    expect(bad.body.details.fields[0].field).toBe('type');
  });
});
