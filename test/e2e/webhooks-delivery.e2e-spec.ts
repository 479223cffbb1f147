import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret } from '../../src/events/webhook-signature';
import { createHmac } from 'node:crypto';
import { TestApp, startApp } from '../app';
import { aTenantWithAdmin } from '../factories/accounts';
import { Receiver, aReceiver, aWebhook, deliveryLogUntil, noMoreAttempts } from '../factories/webhooks';
import { EventBus } from '../../src/events/event-bus';
import { WebhookDeliveryWorker } from '../../src/events/webhook-delivery.worker';

const hmac = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

describe('webhook delivery (private targets allowed; EventBus.publish stands in for the sessions module)', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];
  const receiver = async (statuses?: number[]) => {
    const r = await aReceiver(statuses);
    receivers.push(r);
    return r;
  };
  beforeAll(async () => {
    t = await startApp({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '300',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('POSTs a matching event once, signed with the webhook secret', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const other = await aTenantWithAdmin(t);
    const r = await receiver([200]);
    const hook = await aWebhook(t, admin, { url: r.url, events: ['session.*'] });
    const bus = t.app.get(EventBus);
    // Neither an unsubscribed type nor another tenant's event may reach the receiver.
    bus.publish({ type: 'station.status_changed', tenantId, stationId: null, data: { status: 'Available' } });
    bus.publish({ type: 'session.started', tenantId: other.tenantId, userId: null, data: {} });
    const event = bus.publish({
      type: 'session.started',
      tenantId,
      userId: admin.userId,
      stationId: null,
      data: { sessionId: 's-1', connectorId: 1 },
    });

    const [req] = await r.waitFor(1);
    expect(req.headers['x-kilowatt-event']).toBe('session.started');
    expect(req.headers['content-type']).toContain('application/json');
    const timestamp = req.headers['x-kilowatt-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.headers['x-kilowatt-signature']).toBe(hmac(hook.secret, timestamp, req.body));
    expect(req.headers['x-kilowatt-signature']).not.toBe(hmac('whsec_wrong', timestamp, req.body));
    // The Standard Webhooks headers, checked as a receiver does: its library, given the secret as issued.
    expect(req.headers['webhook-id']).toBe(req.headers['x-kilowatt-delivery']);
    expect(req.headers['webhook-timestamp']).toBe(timestamp);
    expect(new Webhook(hook.secret).verify(req.body, req.headers as Record<string, string>)).toEqual(
      JSON.parse(req.body),
    );
    expect(() =>
      new Webhook(newWebhookSecret()).verify(req.body, req.headers as Record<string, string>),
    ).toThrow(WebhookVerificationError);
    expect(JSON.parse(req.body)).toEqual({
      id: event.id,
      type: 'session.started',
      occurredAt: event.occurredAt,
      tenantId,
      stationId: null,
      userId: admin.userId,
      data: { sessionId: 's-1', connectorId: 1 },
    });

    const log = await deliveryLogUntil(t, admin, hook.id, (items) => items[0]?.status === 'delivered');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      id: req.headers['x-kilowatt-delivery'],
      eventId: event.id,
      eventType: 'session.started',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(r.requests).toHaveLength(1);
  });

  it('retries a receiver that fails twice, and logs 3 attempts', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const r = await receiver([500, 503, 204]);
    const hook = await aWebhook(t, admin, { url: r.url, events: ['session.completed'] });
    const event = t.app
      .get(EventBus)
      .publish({ type: 'session.completed', tenantId, data: { energyWh: 12000 } });

    const log = await deliveryLogUntil(t, admin, hook.id, (items) => items[0]?.status === 'delivered');
    expect(log[0]).toMatchObject({ attempts: 3, lastStatusCode: 204, eventId: event.id });
    expect(r.requests.map((q) => q.status)).toEqual([500, 503, 204]);
    // Every attempt is the same delivery, with the same body.
    expect(new Set(r.requests.map((q) => q.headers['x-kilowatt-delivery'])).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
  });

  it('gives up as failed after the maximum number of attempts', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const r = await receiver([500]);
    const hook = await aWebhook(t, admin, { url: r.url, events: ['*'] });
    t.app.get(EventBus).publish({ type: 'session.failed', tenantId, data: { reason: 'Rejected' } });

    const log = await deliveryLogUntil(t, admin, hook.id, (items) => items[0]?.status === 'failed');
    expect(log[0]).toMatchObject({
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: null,
    });
    await noMoreAttempts(t);
    expect(r.requests).toHaveLength(3);
    const failed = await t.http.get(`/api/v1/webhooks/${hook.id}/deliveries?status=failed`).set(admin.auth);
    expect(failed.body.items).toHaveLength(1);
  });

  it('records an unreachable receiver’s error in the log', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const r = await receiver();
    const url = r.url;
    await r.close();
    const hook = await aWebhook(t, admin, { url, events: ['station.*'] });
    t.app.get(EventBus).publish({ type: 'station.status_changed', tenantId, data: {} });
    const log = await deliveryLogUntil(t, admin, hook.id, (items) => items[0]?.status === 'failed');
    expect(log[0]).toMatchObject({ attempts: 3, lastStatusCode: null });
    expect(log[0].lastError).toContain('ECONNREFUSED');
  });

  it('sends nothing to a paused webhook', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const paused = await receiver();
    const live = await receiver();
    const hook = await aWebhook(t, admin, { url: paused.url, events: ['*'] });
    await t.http.patch(`/api/v1/webhooks/${hook.id}`).set(admin.auth).send({ active: false }).expect(200);
    await aWebhook(t, admin, { url: live.url, events: ['*'] });
    t.app.get(EventBus).publish({ type: 'session.updated', tenantId, data: {} });
    await live.waitFor(1);
    const log = await t.http.get(`/api/v1/webhooks/${hook.id}/deliveries`).set(admin.auth).expect(200);
    expect(log.body.items).toEqual([]);
    await noMoreAttempts(t);
    expect(paused.requests).toHaveLength(0);
  });

  it('prunes finished deliveries past the retention period and keeps pending ones', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const ok = await receiver([200]);
    const silent = await receiver([0]);
    const done = await aWebhook(t, admin, { url: ok.url, events: ['*'] });
    const inFlight = await aWebhook(t, admin, { url: silent.url, events: ['*'] });
    t.app.get(EventBus).publish({ type: 'session.updated', tenantId, data: {} });
    await deliveryLogUntil(t, admin, done.id, (items) => items[0]?.status === 'delivered');
    await silent.waitFor(1);

    // Thirty days from now (WEBHOOK_LOG_RETENTION_DAYS defaults to 30), today's finished rows are due.
    const worker = t.app.get(WebhookDeliveryWorker);
    expect(await worker.pruneLog(new Date())).toBe(0);
    await worker.pruneLog(new Date(Date.now() + 31 * 24 * 3600 * 1000));
    const gone = await t.http.get(`/api/v1/webhooks/${done.id}/deliveries`).set(admin.auth).expect(200);
    expect(gone.body.items).toEqual([]);
    const kept = await t.http.get(`/api/v1/webhooks/${inFlight.id}/deliveries`).set(admin.auth).expect(200);
    expect(kept.body.items).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);
  });

  it('sends a signed ping on request', async () => {
    const { admin } = await aTenantWithAdmin(t);
    const r = await receiver();
    const hook = await aWebhook(t, admin, { url: r.url, events: ['session.*'] });
    const res = await t.http.post(`/api/v1/webhooks/${hook.id}/test`).set(admin.auth).expect(202);
    expect(res.body).toMatchObject({ eventType: 'ping', status: 'pending' });
    const [req] = await r.waitFor(1);
    expect(req.headers['x-kilowatt-event']).toBe('ping');
    expect(req.headers['x-kilowatt-delivery']).toBe(res.body.id);
    const ts = req.headers['x-kilowatt-timestamp'] as string;
    expect(req.headers['x-kilowatt-signature']).toBe(hmac(hook.secret, ts, req.body));
  });
});

// Two nodes cannot share one embedded PGlite: this runs on PostgreSQL only, and says so when skipped.
const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;
if (!process.env.TEST_DATABASE_URL)
  console.warn('SKIPPED [postgres only]: webhook delivery with two nodes needs TEST_DATABASE_URL');

describe('webhook delivery with two nodes on one PostgreSQL database', () => {
  onPostgres('delivers each event once, not once per node [postgres only]', async () => {
    const settings = {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '20',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '50',
      // Nodes of one cluster share the key; passport's strategy registry is per process, too.
      JWT_SECRET: 'two-nodes-share-this-jwt-secret-0123456789',
    };
    const a = await startApp(settings);
    const database = a.config.database;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const b = await startApp({ ...settings, DATABASE_URL: database.url });
    const r = await aReceiver([200]);
    try {
      const { tenantId, admin } = await aTenantWithAdmin(a);
      const hook = await aWebhook(a, admin, { url: r.url, events: ['*'] });
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) {
        // Alternate the publishing node; both nodes' workers compete for every row.
        const bus = (i % 2 === 0 ? a : b).app.get(EventBus);
        ids.add(bus.publish({ type: 'session.updated', tenantId, data: { i } }).id);
      }
      await r.waitFor(30);
      await Promise.all([noMoreAttempts(a), noMoreAttempts(b)]);
      expect(r.requests).toHaveLength(30);
      expect(new Set(r.requests.map((q) => JSON.parse(q.body).id))).toEqual(ids);
      const log = await deliveryLogUntil(a, admin, hook.id, (items) =>
        items.every((d) => d.status === 'delivered'),
      );
      expect(log.every((d) => d.attempts === 1)).toBe(true);
    } finally {
      await r.close();
      await b.close();
      await a.close();
    }
  });
});
