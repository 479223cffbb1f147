import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { ApiKeysRepository } from '../../src/auth/api-keys.repository';
import { EventsGateway } from '../../src/events/events.gateway';
import { UsersRepository } from '../../src/users/users.repository';
import { TestApp, startApp } from '../app';
import {
  TEST_PASSWORD,
  TestAccount,
  aDefaultTenantAdmin,
  aUser,
  anAccount,
  anApiKey,
} from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { LiveSocket, liveSocket } from '../factories/live-events';
import { aSecuredKey } from './integrator.helpers';

const bearer = (a: TestAccount) => ({ Authorization: `Bearer ${a.token}` });
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sign = (claims: object, secret: string) => {
  const head = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
    JSON.stringify(claims),
  ).toString('base64url')}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};

/** Opens a socket and waits until the server accepted it. */
async function accepted(t: TestApp, headers: Record<string, string>): Promise<LiveSocket> {
  const s = liveSocket(t.wsUrl, headers);
  await s.ready;
  return s;
}

/** Resolves with the close, or fails when the socket is still open after `withinMs`. */
async function closedWithin(s: LiveSocket, withinMs: number): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs);
  });
  try {
    return await Promise.race([s.closed, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('live /events socket: revocation on the node that made it', () => {
  let t: TestApp;
  const sockets: LiveSocket[] = [];
  const open = async (headers: Record<string, string>) => {
    const s = await accepted(t, headers);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    // The periodic re-check is far away: what closes these sockets is the revocation itself.
    t = await startApp({ EVENTS_RECHECK_INTERVAL_MS: '600000', EVENTS_MAX_SOCKETS_PER_ACTOR: '2' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.ws.terminate());
    await t.close();
  });

  it('closes the sockets of a revoked API key and of tokens exchanged for it, and no other', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const key = await anApiKey(t, admin, ['read']);
    const other = await anApiKey(t, admin, ['read']);
    const token = await t.http
      .post('/api/v1/auth/token')
      .send({ keyId: key.id, secret: key.secret })
      .expect(200);
    const byKey = await open(key.header);
    const byToken = await open({ Authorization: `Bearer ${token.body.accessToken}` });
    const control = await open(other.header);
    await t.http.delete(`/api/v1/api-keys/${key.id}`).set(admin.auth).expect(204);
    for (const s of [byKey, byToken]) {
      expect(await closedWithin(s, 2000)).toEqual({
        code: 4401,
        reason: 'Unauthorized: the API key was revoked',
      });
    }
    expect(control.ws.readyState).toBe(WebSocket.OPEN);
    expect(await liveSocket(t.wsUrl, key.header).closed).toMatchObject({ code: 4401 });
  });

  it('closes the sockets of a disabled account', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const user = await aUser(t);
    const s = await open(bearer(user));
    await t.http
      .patch(`/api/v1/users/${user.userId}`)
      .set(admin.auth)
      .send({ status: 'disabled' })
      .expect(200);
    expect(await closedWithin(s, 2000)).toEqual({
      code: 4401,
      reason: 'Unauthorized: the account was disabled',
    });
  });

  it('closes the sockets of a demoted admin; it reconnects with the view of a user', async () => {
    const root = await anAccount(t, { role: 'root' });
    const admin = await aDefaultTenantAdmin(t);
    const s = await open(bearer(admin));
    expect(await s.ready).toMatchObject({ role: 'admin' });
    await t.http.patch(`/api/v1/users/${admin.userId}`).set(root.auth).send({ role: 'user' }).expect(200);
    expect(await closedWithin(s, 2000)).toMatchObject({ code: 4401, reason: expect.stringMatching(/role/) });
    const again = await open(bearer(admin));
    expect(await again.ready).toMatchObject({ role: 'user' });
  });

  it('closes the sockets of an account whose password changed, and of one logged out everywhere', async () => {
    const user = await aUser(t);
    const s = await open(bearer(user));
    const changed = await t.http
      .post('/api/v1/auth/password')
      .set(user.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-Passphrase-77' })
      .expect(200);
    expect(await closedWithin(s, 2000)).toMatchObject({
      code: 4401,
      reason: expect.stringMatching(/password/),
    });
    expect(await liveSocket(t.wsUrl, bearer(user)).closed).toMatchObject({ code: 4401 });

    const fresh = { Authorization: `Bearer ${changed.body.accessToken}` };
    const next = await open(fresh);
    await t.http.post('/api/v1/auth/logout').set(fresh).send({ everywhere: true }).expect(204);
    expect(await closedWithin(next, 2000)).toMatchObject({
      code: 4401,
      reason: expect.stringMatching(/logged out/),
    });
  });

  it('caps the open sockets per account and per API key (4429), and frees a place on close', async () => {
    const user = await aUser(t);
    const neighbour = await aUser(t);
    const first = await open(bearer(user));
    await open(bearer(user));
    const third = liveSocket(t.wsUrl, bearer(user));
    const refused = await third.closed;
    expect(refused.code).toBe(4429);
    expect(refused.reason).toMatch(/at most 2/);
    await open(bearer(neighbour));

    first.ws.close();
    await first.closed;
    await open(bearer(user));

    const admin = await aDefaultTenantAdmin(t);
    const key = await anApiKey(t, admin, ['read']);
    await open(key.header);
    await open(key.header);
    expect((await liveSocket(t.wsUrl, key.header).closed).code).toBe(4429);
  });

  it('refuses with 4403 a key that requires signed or encrypted requests', async () => {
    const admin = await aDefaultTenantAdmin(t);
    for (const require of [{ requireSignature: true }, { requireEncryption: true }]) {
      const key = await aSecuredKey(t, admin, require, ['read']);
      const { code, reason } = await liveSocket(t.wsUrl, key.header).closed;
      expect(code).toBe(4403);
      expect(reason).toMatch(/signed or encrypted/);
    }
  });
});

describe('live /events socket: the periodic re-check (changes made on another node)', () => {
  let t: TestApp;
  const sockets: LiveSocket[] = [];
  const open = async (headers: Record<string, string>) => {
    const s = await accepted(t, headers);
    sockets.push(s);
    return s;
  };
  const RECHECK_MS = 200;

  beforeAll(async () => {
    t = await startApp({ EVENTS_RECHECK_INTERVAL_MS: String(RECHECK_MS) });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.ws.terminate());
    await t.close();
  });

  // Written straight through the repositories: no revocation is announced on this node.
  const users = () => t.app.get(UsersRepository);

  it.each([
    ['a revoked API key', 'key'],
    ['a disabled account', 'disabled'],
    ['a demoted admin', 'demoted'],
    ['a changed password', 'password'],
  ])('closes the socket of %s within seconds, and keeps the others', async (_what, change) => {
    const admin = await aDefaultTenantAdmin(t);
    const control = await open(bearer(await aUser(t)));
    if (change === 'key') {
      const key = await anApiKey(t, admin, ['read']);
      const s = await open(key.header);
      await t.app.get(ApiKeysRepository).revoke(key.tenantId, key.id);
      expect((await closedWithin(s, 3000)).code).toBe(4401);
    } else {
      const target = change === 'demoted' ? await aDefaultTenantAdmin(t) : await aUser(t);
      const s = await open(bearer(target));
      const { tenantId } = (await users().findInScope({ includeRoot: true }, target.userId))!;
      if (change === 'disabled')
        await users().update(tenantId, target.userId, { status: 'disabled', tokensValidAfter: new Date() });
      if (change === 'demoted') await users().update(tenantId, target.userId, { role: 'user' });
      if (change === 'password')
        await users().update(tenantId, target.userId, { tokensValidAfter: new Date() });
      expect((await closedWithin(s, 3000)).code).toBe(4401);
    }
    // A whole round more, started after the close (the first call may join one under way): a
    // socket whose credentials still hold is kept.
    const gateway = t.app.get(EventsGateway);
    await gateway.recheckAll();
    await gateway.recheckAll();
    // The server still answers it: a close it had sent would arrive before any answer.
    control.ws.send(JSON.stringify({ subscribe: ['*'] }));
    await eventually(() => expect(control.events).toContainEqual({ subscribed: ['*'] }));
    expect(control.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with 4403 the socket of a key that starts requiring signatures', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const key = await anApiKey(t, admin, ['read']);
    const s = await open(key.header);
    await t.http.post(`/api/v1/api-keys/${key.id}/security/keys`).set(admin.auth).expect(201);
    await t.http
      .patch(`/api/v1/api-keys/${key.id}/security`)
      .set(admin.auth)
      .send({ requireSignature: true })
      .expect(200);
    expect((await closedWithin(s, 3000)).code).toBe(4403);
  });

  it('closes the socket of an access token once it expires', async () => {
    const user = await aUser(t);
    const claims = { ...claimsOf(user.token), iat: Math.floor(Date.now() / 1000) };
    const expiring = sign({ ...claims, exp: claims.iat + 2 }, t.config.jwtSecret);
    const s = await open({ Authorization: `Bearer ${expiring}` });
    expect((await closedWithin(s, 6000)).code).toBe(4401);
  });
});
