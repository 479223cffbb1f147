import { Logger } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import { stations } from '../../src/stations/stations.tables';
import { TestApp, startApp } from '../app';
import { aTenantWithAdmin } from '../factories/accounts';
import {
  TestStation,
  aStation,
  acceptStation,
  eventually,
  handshake,
  uniqueChargePointId,
} from '../factories/chargers';

const LIMIT = 3;

/** Every 'Charger handshake refused' line logged while `work` runs. */
async function refusalsLoggedDuring(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const warn = jest.spyOn(Logger.prototype, 'warn');
  try {
    await work();
    return warn.mock.calls
      .filter(([, message]) => message === 'Charger handshake refused')
      .map(([fields]) => fields as Record<string, unknown>);
  } finally {
    warn.mockRestore();
  }
}

describe('OCPP handshake brake behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    // TRUST_PROXY defaults to loopback: the test client is the proxy, X-Forwarded-For the charger.
    t = await startApp({ OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => t.close());

  const url = (s: Pick<TestStation, 'chargePointId'>) => `${t.wsUrl}/ocpp/${s.chargePointId}`;
  const from = (address: string) => ({ 'X-Forwarded-For': address });
  let n = 0;
  /** A fresh client address per test, so the tests never share a brake. */
  const anAddress = () => `198.51.100.${++n}`;

  async function admitted(s: TestStation, headers: Record<string, string>): Promise<boolean> {
    const res = await handshake(url(s), { password: s.password, headers });
    res.ws?.close();
    return res.status === 101;
  }

  it('brakes only the failing station id from the failing client address', async () => {
    const victim = await aStation(t, { securityProfile: 1 });
    const neighbour = await aStation(t, { securityProfile: 1 });
    const open = await aStation(t, { securityProfile: 0 });
    const stranger = anAddress();
    for (let i = 0; i < LIMIT; i++)
      expect((await handshake(url(victim), { password: 'guess', headers: from(stranger) })).status).toBe(401);
    // The stranger's own guesses on this id are braked, even the right password…
    expect(
      (await handshake(url(victim), { password: victim.password, headers: from(stranger) })).status,
    ).toBe(429);
    // …but the charger itself, from its own address, is not.
    expect(await admitted(victim, from(anAddress()))).toBe(true);
    // Nor are the other chargers behind the stranger's address (a shared NAT, the same proxy).
    expect(await admitted(neighbour, from(stranger))).toBe(true);
    expect(await admitted(open, from(stranger))).toBe(true);
  });

  it('never lets unknown ids lock out a known charger, and still brakes a repeated unknown id', async () => {
    const known = await aStation(t, { securityProfile: 1 });
    const address = anAddress();
    for (let i = 0; i < 3 * LIMIT; i++)
      expect(
        (await handshake(url({ chargePointId: uniqueChargePointId() }), { headers: from(address) })).status,
      ).toBe(404);
    expect(await admitted(known, from(address))).toBe(true);

    const probed = { chargePointId: uniqueChargePointId() };
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++)
      statuses.push((await handshake(url(probed), { headers: from(address) })).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(404), 429]);
  });

  it('logs one warn line per refused handshake: station id, client address, status, reason; never the password', async () => {
    const s = await aStation(t, { securityProfile: 1 });
    const address = anAddress();
    const unknown = uniqueChargePointId();
    const lines = await refusalsLoggedDuring(async () => {
      await handshake(url(s), { password: 'not-the-password-123', headers: from(address) });
      await handshake(url({ chargePointId: unknown }), { headers: from(address) });
      const ok = await handshake(url(s), { password: s.password, headers: from(address) });
      ok.ws?.close();
    });
    expect(lines).toEqual([
      { chargePointId: s.chargePointId, source: address, status: 401, reason: 'wrong or missing password' },
      { chargePointId: unknown, source: address, status: 404, reason: 'unknown charge point id' },
    ]);
    expect(JSON.stringify(lines)).not.toContain('not-the-password-123');
  });
});

describe('OCPP handshake brake with an untrusted peer, and the auto-registration cap', () => {
  const MAX_PENDING = 3;
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      // The test client on loopback is not a trusted proxy here: its X-Forwarded-For is ignored.
      TRUST_PROXY: '10.0.0.0/8',
      OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE: String(LIMIT),
      OCPP_AUTO_REGISTRATION_MAX_PENDING: String(MAX_PENDING),
    });
  });
  afterAll(() => t.close());

  const url = (id: string, tenantId?: string) => `${t.wsUrl}/ocpp/${tenantId ? `${tenantId}/` : ''}${id}`;

  it('ignores X-Forwarded-For from a peer TRUST_PROXY does not name', async () => {
    const s = await aStation(t, { securityProfile: 1 });
    const lines = await refusalsLoggedDuring(async () => {
      for (let i = 0; i < LIMIT; i++)
        await handshake(url(s.chargePointId), {
          password: 'guess',
          headers: { 'X-Forwarded-For': '198.51.100.1' },
        });
      // A forged header cannot buy a fresh brake: the client address is the socket's.
      const forged = await handshake(url(s.chargePointId), {
        password: s.password,
        headers: { 'X-Forwarded-For': '198.51.100.2' },
      });
      expect(forged.status).toBe(429);
    });
    expect(lines.map((l) => l.source)).toEqual(Array(LIMIT + 1).fill('127.0.0.1'));
  });

  it('caps the stations a tenant auto-registers pending an operator, even under concurrent handshakes', async () => {
    const { tenantId } = await aTenantWithAdmin(t, { allowAutoRegistration: true });
    const ids = Array.from({ length: 10 }, () => uniqueChargePointId());
    let results: Awaited<ReturnType<typeof handshake>>[] = [];
    const lines = await refusalsLoggedDuring(async () => {
      results = await Promise.all(ids.map((id) => handshake(url(id, tenantId))));
    });
    expect(results.filter((r) => r.status === 101)).toHaveLength(MAX_PENDING);
    expect(results.filter((r) => r.status === 404)).toHaveLength(ids.length - MAX_PENDING);
    expect(await pendingIn(tenantId)).toHaveLength(MAX_PENDING);
    expect(lines).toHaveLength(ids.length - MAX_PENDING);
    for (const line of lines) expect(line.reason).toMatch(/^auto-registration refused/);

    // A pending station already registered still connects at the cap.
    const [registered] = await pendingIn(tenantId);
    for (const r of results) r.ws?.close();
    // (Once the server has seen its earlier socket close: a profile 0 newcomer never replaces one.)
    const again = await eventually(async () => {
      const res = await handshake(url(registered.chargePointId, tenantId));
      expect(res.status).toBe(101);
      return res;
    });
    again.ws?.close();

    // Another tenant has its own cap.
    const other = await aTenantWithAdmin(t, { allowAutoRegistration: true });
    const elsewhere = await handshake(url(uniqueChargePointId(), other.tenantId));
    expect(elsewhere.status).toBe(101);
    elsewhere.ws?.close();

    // Once an operator accepts one, there is room for exactly one more.
    await acceptStation(t, registered.id);
    const next = await handshake(url(uniqueChargePointId(), tenantId));
    expect(next.status).toBe(101);
    next.ws?.close();
    expect((await handshake(url(uniqueChargePointId(), tenantId))).status).toBe(404);
  });

  function pendingIn(tenantId: string) {
    return t.app
      .get<Db>(DB)
      .select({ id: stations.id, chargePointId: stations.chargePointId })
      .from(stations)
      .where(and(eq(stations.tenantId, tenantId), eq(stations.registrationStatus, 'pending')));
  }
});
