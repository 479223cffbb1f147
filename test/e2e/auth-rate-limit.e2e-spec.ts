import { randomUUID } from 'node:crypto';
import { DbHitCounter, MemoryHitCounter } from '../../src/cluster/hit-counter';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import { TestApp, startApp } from '../app';
import { TEST_PASSWORD, aDefaultTenantAdmin, aUser, anApiKey } from '../factories/accounts';

describe('brute-force limits on credential routes', () => {
  describe('per account from one address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3', LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE: '1000' });
    });
    afterAll(() => t.close());

    // The test app trusts X-Forwarded-For from loopback (TRUST_PROXY=loopback), as behind a proxy.
    const from = (address: string) => ({ 'X-Forwarded-For': address });

    it('answers 429 with Retry-After at the address that passed the limit, even with the right password', async () => {
      const u = await aUser(t);
      for (let i = 0; i < 3; i++) {
        await t.http
          .post('/api/v1/auth/login')
          .set(from('198.51.100.7'))
          .send({ username: u.username, password: 'wrong-password' })
          .expect(401);
      }
      const res = await t.http
        .post('/api/login')
        .set(from('198.51.100.7'))
        .send({ username: u.username, password: TEST_PASSWORD })
        .expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it('lets the owner in from another address while a stranger is braked on the account', async () => {
      const u = await aUser(t);
      for (let i = 0; i < 10; i++) {
        await t.http
          .post('/api/v1/auth/login')
          .set(from('203.0.113.66'))
          .send({ username: u.username, password: 'wrong-password' });
      }
      await t.http
        .post('/api/v1/auth/login')
        .set(from('203.0.113.66'))
        .send({ username: u.username, password: TEST_PASSWORD })
        .expect(429);
      const res = await t.http
        .post('/api/v1/auth/login')
        .set(from('192.0.2.10'))
        .send({ username: u.username, password: TEST_PASSWORD })
        .expect(200);
      expect(res.body.userId).toBe(u.userId);
    });

    it('counts the account whatever the case of the login name, and leaves other accounts alone', async () => {
      const u = await aUser(t);
      const other = await aUser(t);
      for (const name of [u.username, u.username.toUpperCase(), u.username]) {
        await t.http.post('/api/v1/auth/login').send({ username: name, password: 'nope-nope' }).expect(401);
      }
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: u.username, password: 'nope-nope' })
        .expect(429);
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: other.username, password: TEST_PASSWORD })
        .expect(200);
    });

    it('limits the client-credentials route per API key', async () => {
      const admin = await aDefaultTenantAdmin(t);
      const key = await anApiKey(t, admin, ['read']);
      for (let i = 0; i < 3; i++) {
        await t.http.post('/api/v1/auth/token').send({ keyId: key.id, secret: 'guess' }).expect(401);
      }
      const res = await t.http
        .post('/api/v1/auth/token')
        .send({ keyId: key.id, secret: key.secret })
        .expect(429);
      expect(res.headers['retry-after']).toBeDefined();
    });
  });

  describe('per client address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE: '4' });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After once one address tries too many accounts', async () => {
      for (let i = 0; i < 4; i++) {
        await t.http
          .post('/api/v1/auth/login')
          .send({ username: `nobody${i}`, password: 'whatever' })
          .expect(401);
      }
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ username: 'nobody9', password: 'whatever' })
        .expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await t.http.post('/api/v1/auth/token').send({ keyId: 'x', secret: 'y' }).expect(429);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: 'z'.repeat(43) })
        .expect(429);
    });
  });
});

describe('rate-limit counters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const minute = 60_000;
  // A burst that begins a second before a whole minute and ends after it.
  const nearBoundary = Math.ceil(Date.now() / minute) * minute + 10 * minute - 1_000;

  describe.each([
    ['in memory (one node)', () => new MemoryHitCounter()],
    ['in the database (a cluster)', () => new DbHitCounter(t.app.get<Db>(DB))],
  ])('%s', (_name, make) => {
    it('counts a burst across a whole minute in one window, opened by its first hit', async () => {
      const counter = make();
      const key = `test:${randomUUID()}`;
      const hits = [];
      for (let i = 0; i < 5; i++) hits.push(await counter.hit(key, minute, nearBoundary + i * 500));
      expect(hits.map((h) => h.count)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(hits.map((h) => h.resetAt))).toEqual(new Set([nearBoundary + minute]));
    });

    it('opens a new window once the last one ended, and counts keys apart', async () => {
      const counter = make();
      const key = `test:${randomUUID()}`;
      await counter.hit(key, minute, nearBoundary);
      await counter.hit(key, minute, nearBoundary + 1);
      expect((await counter.hit(`${key}:other`, minute, nearBoundary + 2)).count).toBe(1);
      const later = await counter.hit(key, minute, nearBoundary + minute);
      expect(later).toEqual({ count: 1, resetAt: nearBoundary + 2 * minute });
      expect(await counter.purgeExpired(nearBoundary + 3 * minute)).toBeGreaterThanOrEqual(2);
      expect((await counter.hit(key, minute, nearBoundary + 3 * minute)).count).toBe(1);
    });
  });
});
