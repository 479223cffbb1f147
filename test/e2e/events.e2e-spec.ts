import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { TestApp, startApp } from '../app';
import {
  TestAccount,
  aDefaultTenantAdmin,
  aTenantWithAdmin,
  aUser,
  anApiKey,
  theRoot,
} from '../factories/accounts';
import { EventBus } from '../../src/events/event-bus';
import { eventually } from '../factories/chargers';
import type { EventType } from '../../src/events/domain-event';
import { TenantsService } from '../../src/tenants/tenants.service';

type Message = Record<string, unknown>;

/** A live-socket client that keeps every message, closing code and reason. */
interface LiveClient {
  ws: WebSocket;
  messages: Message[];
  next(predicate?: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(
  t: TestApp,
  opts: { token?: string; query?: string; headers?: Record<string, string> },
): LiveClient {
  const headers = { ...opts.headers, ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}) };
  const ws = new WebSocket(`${t.wsUrl}/events${opts.query ?? ''}`, { headers });
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  let seen = 0;
  ws.on('message', (raw) => {
    messages.push(JSON.parse(raw.toString()) as Message);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return {
    ws,
    messages,
    closed,
    // Returns the next unseen message that matches; earlier non-matching ones are skipped.
    next: (predicate = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no message; got ${JSON.stringify(messages)}`)),
          timeoutMs,
        );
        const check = () => {
          while (seen < messages.length) {
            const m = messages[seen++];
            if (predicate(m)) {
              clearTimeout(timer);
              return resolve(m);
            }
          }
          waiters.push(check);
        };
        check();
      }),
  };
}

const isEvent = (m: Message) => typeof m.id === 'string' && typeof m.type === 'string';

async function ready(client: LiveClient): Promise<LiveClient> {
  const m = await client.next((x) => x.ready === true);
  expect(m.ready).toBe(true);
  return client;
}

describe('live /events socket (EventBus.publish stands in for the sessions and stations modules)', () => {
  let t: TestApp;
  let bus: EventBus;
  let defaultTenantId: string;
  const clients: LiveClient[] = [];
  const open = (opts: Parameters<typeof connect>[1]) => {
    const c = connect(t, opts);
    clients.push(c);
    return c;
  };
  const publish = (type: EventType, tenantId: string, userId: string | null = null, data: object = {}) =>
    bus.publish({ type, tenantId, userId, stationId: '7f1d5d0e-0000-4000-8000-000000000001', data });

  beforeAll(async () => {
    t = await startApp();
    bus = t.app.get(EventBus);
    defaultTenantId = (await t.app.get(TenantsService).ensureDefaultTenant()).id;
  });
  afterAll(async () => {
    clients.forEach((c) => c.ws.terminate());
    await t.close();
  });

  it('pushes a user their own session event and not another user’s', async () => {
    const me = await aUser(t);
    const someoneElse = await aUser(t);
    const socket = await ready(open({ token: me.token }));
    // Published first: if the user could see it, it would arrive first.
    publish('session.started', defaultTenantId, someoneElse.userId, { sessionId: 'theirs' });
    const mine = publish('session.started', defaultTenantId, me.userId, { sessionId: 'mine' });

    const got = await socket.next(isEvent);
    expect(got).toEqual({
      id: mine.id,
      type: 'session.started',
      occurredAt: mine.occurredAt,
      stationId: mine.stationId,
      data: { sessionId: 'mine' },
    });
  });

  it('pushes a user the station status of their tenant', async () => {
    const me = await aUser(t);
    const socket = await ready(open({ token: me.token }));
    const e = publish('station.status_changed', defaultTenantId, null, {
      connectorId: 1,
      status: 'Charging',
    });
    expect(await socket.next(isEvent)).toMatchObject({ id: e.id, type: 'station.status_changed' });
  });

  it('pushes an admin every event of their tenant, and another tenant’s admin none of them', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const foreign = await aTenantWithAdmin(t);
    const user = await aUser(t);
    const adminSocket = await ready(open({ token: admin.token }));
    const foreignSocket = await ready(open({ token: foreign.admin.token }));

    const session = publish('session.completed', defaultTenantId, user.userId, { energyWh: 5000 });
    const station = publish('station.status_changed', defaultTenantId);
    const theirs = publish('session.started', foreign.tenantId, null);

    expect((await adminSocket.next(isEvent)).id).toBe(session.id);
    expect((await adminSocket.next(isEvent)).id).toBe(station.id);
    // The foreign admin's first event is their own tenant's, published last.
    expect((await foreignSocket.next(isEvent)).id).toBe(theirs.id);
  });

  it('pushes root the events of every tenant', async () => {
    const root = await theRoot(t);
    const foreign = await aTenantWithAdmin(t);
    const socket = await ready(open({ token: root.token }));
    const e = publish('session.failed', foreign.tenantId, null, { reason: 'EVDisconnected' });
    expect((await socket.next(isEvent)).id).toBe(e.id);
  });

  it('authenticates with ?access_token= for browsers', async () => {
    const me = await aUser(t);
    const socket = await ready(open({ query: `?access_token=${encodeURIComponent(me.token)}` }));
    const e = publish('session.updated', defaultTenantId, me.userId, { energyWh: 1200 });
    expect((await socket.next(isEvent)).id).toBe(e.id);
  });

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const forged = (claims: object, secret?: string) => {
    const head = b64({ alg: secret ? 'HS256' : 'none', typ: 'JWT' });
    const body = b64({
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
      ...claims,
    });
    const sig = secret ? createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url') : '';
    return `${head}.${body}.${sig}`;
  };

  it('closes with 4401 for an unsigned (alg none) token and for a non-access token', async () => {
    const me = await aUser(t);
    const claims = { sub: me.userId, tid: defaultTenantId, role: 'user', typ: 'access' };
    const unsigned = open({ token: forged(claims) });
    expect((await unsigned.closed).code).toBe(4401);
    const refresh = open({ token: forged({ ...claims, typ: 'refresh' }, t.config.jwtSecret) });
    expect((await refresh.closed).code).toBe(4401);
    // The same claims, properly signed, are accepted: the refusals above are about alg and typ.
    await ready(open({ token: forged(claims, t.config.jwtSecret) }));
  });

  it.each([
    ['a bad token', { token: 'not.a.jwt' }],
    ['no credentials', {}],
    ['a bad query token', { query: '?access_token=garbage' }],
    ['an unknown API key', { headers: { 'X-API-Key': 'kw_live_unknown' } }],
  ])('closes the socket with 4401 for %s', async (_what, opts) => {
    const socket = open(opts);
    const { code, reason } = await socket.closed;
    expect(code).toBe(4401);
    expect(reason).toMatch(/Unauthorized/);
    expect(socket.messages).toEqual([]);
  });

  it("authenticates an API key and streams its tenant's events", async () => {
    const admin = await aDefaultTenantAdmin(t);
    const key = await anApiKey(t, admin, ['read']);
    const socket = await ready(open({ headers: key.header }));
    const station = publish('station.status_changed', defaultTenantId);
    expect((await socket.next(isEvent)).id).toBe(station.id);
  });

  it('narrows the stream to the subscribed patterns', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const socket = await ready(open({ token: admin.token }));
    socket.ws.send(JSON.stringify({ subscribe: ['station.*'] }));
    expect(await socket.next((m) => 'subscribed' in m)).toEqual({ subscribed: ['station.*'] });
    publish('session.started', defaultTenantId, admin.userId);
    const station = publish('station.status_changed', defaultTenantId);
    expect((await socket.next(isEvent)).id).toBe(station.id);
  });

  it('closes a socket that sends an oversized message (1009)', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const socket = await ready(open({ token: admin.token }));
    socket.ws.send(JSON.stringify({ subscribe: ['*'], padding: 'x'.repeat(64 * 1024) }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('answers an invalid client message with an error and keeps the socket open', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const socket = await ready(open({ token: admin.token }));
    socket.ws.send(JSON.stringify({ subscribe: ['everything.*'] }));
    expect(await socket.next((m) => 'error' in m)).toMatchObject({
      error: expect.stringContaining('subscribe'),
    });
    const e = publish('session.started', defaultTenantId, null);
    expect((await socket.next(isEvent)).id).toBe(e.id);
  });
});

describe('live /events socket heartbeat and back-pressure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ EVENTS_HEARTBEAT_MS: '100', EVENTS_MAX_BUFFERED_BYTES: '65536' });
  });
  afterAll(() => t.close());

  it('drops a client that stops answering pings', async () => {
    const me: TestAccount = await aUser(t);
    // autoPong off: this client ignores the server's pings, like a vanished peer.
    const ws = new WebSocket(`${t.wsUrl}/events`, {
      headers: { Authorization: `Bearer ${me.token}` },
      autoPong: false,
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const pinged = new Promise<void>((resolve) => ws.once('ping', () => resolve()));
    await pinged;
    expect(await closed).toBe(1006);
  });

  it('keeps a client that answers pings', async () => {
    const me = await aUser(t);
    const ws = new WebSocket(`${t.wsUrl}/events`, { headers: { Authorization: `Bearer ${me.token}` } });
    let pings = 0;
    ws.on('ping', () => pings++);
    // The 2nd and 3rd heartbeats found the pongs to the ones before: a client that did not answer
    // would have been dropped there, and these pings never sent.
    await eventually(() => expect(pings).toBeGreaterThanOrEqual(3));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('disconnects a subscriber that stops reading instead of buffering without bound', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const tenantId = (await t.app.get(TenantsService).ensureDefaultTenant()).id;
    const client = connect(t, { token: admin.token });
    await ready(client);
    client.ws.pause();
    const bus = t.app.get(EventBus);
    const blob = 'x'.repeat(64 * 1024);
    const total = 400;
    for (let i = 0; i < total; i++) {
      bus.publish({ type: 'station.status_changed', tenantId, data: { i, blob } });
      // Let the socket write, so the kernel buffers fill and the server's own buffer grows: a real
      // wait, pacing the burst.
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    client.ws.resume();
    const { code } = await client.closed;
    // 4408 when the close frame gets through, 1006 when the server had to cut the connection.
    expect([4408, 1006]).toContain(code);
    expect(client.messages.filter(isEvent).length).toBeLessThan(total);
  });
});
