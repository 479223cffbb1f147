import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser, theRoot } from '../factories/accounts';
import { aReceiver, aWebhook, deliveryLogUntil } from '../factories/webhooks';
import { EventBus } from '../../src/events/event-bus';
import { WebhooksRepository } from '../../src/events/webhooks.repository';

// A public IP literal: registration needs no DNS, and no event is published to it in this app.
const PUBLIC_URL = 'https://93.184.216.34/kilowatt-hook';

describe('webhooks: registration and access', () => {
  let t: TestApp;
  let admin: TestAccount;
  let other: TestAccount;
  beforeAll(async () => {
    t = await startApp();
    admin = (await aTenantWithAdmin(t)).admin;
    other = (await aTenantWithAdmin(t)).admin;
  });
  afterAll(() => t.close());

  it('refuses anonymous callers with 401 and users with 403', async () => {
    await t.http.get('/api/v1/webhooks').expect(401);
    const user = await aUser(t);
    const res = await t.http
      .post('/api/v1/webhooks')
      .set(user.auth)
      .send({ url: PUBLIC_URL, events: ['session.*'] })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await t.http.get('/api/v1/webhooks').set(user.auth).expect(403);
  });

  it('creates a webhook and shows its secret only in the creation answer', async () => {
    const res = await t.http
      .post('/api/v1/webhooks')
      .set(admin.auth)
      .send({ url: PUBLIC_URL, events: ['session.*', 'station.status_changed'], description: 'Billing' })
      .expect(201);
    expect(res.body).toMatchObject({
      url: PUBLIC_URL,
      events: ['session.*', 'station.status_changed'],
      description: 'Billing',
      active: true,
    });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await t.http.get(`/api/v1/webhooks/${res.body.id}`).set(admin.auth).expect(200);
    expect(read.body.id).toBe(res.body.id);
    expect(read.body.secret).toBeUndefined();
  });

  it('lets root register webhooks too', async () => {
    const root = await theRoot(t);
    await aWebhook(t, root, { url: PUBLIC_URL });
  });

  it('lists only the tenant’s webhooks, newest first, page by page', async () => {
    const { admin: fresh } = await aTenantWithAdmin(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await aWebhook(t, fresh, { url: `${PUBLIC_URL}/${i}` })).id);
    await aWebhook(t, other, { url: PUBLIC_URL });
    const first = await t.http.get('/api/v1/webhooks?limit=2').set(fresh.auth).expect(200);
    expect(first.body.items.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.items[0].secret).toBeUndefined();
    const second = await t.http
      .get(`/api/v1/webhooks?limit=2&cursor=${first.body.nextCursor}`)
      .set(fresh.auth)
      .expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });

  it('updates the events, pauses, and deletes a webhook', async () => {
    const hook = await aWebhook(t, admin, { url: PUBLIC_URL });
    const patched = await t.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(admin.auth)
      .send({ events: ['station.*'], active: false })
      .expect(200);
    expect(patched.body).toMatchObject({ events: ['station.*'], active: false });
    await t.http.delete(`/api/v1/webhooks/${hook.id}`).set(admin.auth).expect(204);
    await t.http.get(`/api/v1/webhooks/${hook.id}`).set(admin.auth).expect(404);
  });

  it('answers 404 for another tenant’s webhook on every route', async () => {
    const hook = await aWebhook(t, admin, { url: PUBLIC_URL });
    const base = `/api/v1/webhooks/${hook.id}`;
    for (const res of [
      await t.http.get(base).set(other.auth),
      await t.http.patch(base).set(other.auth).send({ active: false }),
      await t.http.delete(base).set(other.auth),
      await t.http.get(`${base}/deliveries`).set(other.auth),
      await t.http.post(`${base}/test`).set(other.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    await t.http.get(base).set(admin.auth).expect(200);
  });

  it('rejects unknown event patterns and non-http URLs, naming the fields', async () => {
    const res = await t.http
      .post('/api/v1/webhooks')
      .set(admin.auth)
      .send({ url: 'ftp://93.184.216.34/x', events: ['sessions.everything'] })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['events', 'url']);
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['a private network', 'http://10.0.0.1/hook'],
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['loopback inside an IPv4-compatible IPv6 address', 'http://[::127.0.0.1]:8080/hook'],
    ['loopback inside a 6to4 address', 'http://[2002:7f00:1::]:8080/hook'],
    ['the metadata service inside a NAT64 address', 'http://[64:ff9b::a9fe:a9fe]/latest'],
    ['a name resolving to loopback', 'http://localhost:3000/hook'],
  ])('refuses a target on %s by default', async (_what, url) => {
    const res = await t.http
      .post('/api/v1/webhooks')
      .set(admin.auth)
      .send({ url, events: ['*'] })
      .expect(400);
    expect(res.body.code).toBe('WEBHOOK_TARGET_NOT_ALLOWED');
  });

  it('checks the target again before each attempt (a name re-pointed at loopback is not called)', async () => {
    const { tenantId, admin: owner } = await aTenantWithAdmin(t);
    const r = await aReceiver([200]);
    try {
      // Stands in for a public name whose DNS later answers 127.0.0.1: the row already exists.
      const row = await t.app.get(WebhooksRepository).insert(tenantId, {
        url: r.url,
        events: ['*'],
        secret: 'whsec_rebound',
      });
      t.app.get(EventBus).publish({ type: 'session.started', tenantId, data: {} });
      const log = await deliveryLogUntil(
        t,
        owner,
        row.id,
        (items) => (items[0]?.attempts as number) >= 1 && items[0]?.lastError !== null,
      );
      expect(log[0]).toMatchObject({ status: 'pending', lastStatusCode: null });
      expect(log[0].lastError).toContain('loopback');
      expect(r.requests).toHaveLength(0);
    } finally {
      await r.close();
    }
  });

  it('refuses to re-point a webhook at a private address', async () => {
    const hook = await aWebhook(t, admin, { url: PUBLIC_URL });
    const res = await t.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(admin.auth)
      .send({ url: 'http://192.168.1.10/hook' })
      .expect(400);
    expect(res.body.code).toBe('WEBHOOK_TARGET_NOT_ALLOWED');
  });
});
