import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { DB } from '../../src/database/database.module';
import type { Db } from '../../src/database/database';
import { stations } from '../../src/stations/stations.tables';
import { keyedHash } from '../../src/ocpp/gateway/charger-credentials';
import { TenantsService } from '../../src/tenants/tenants.service';
import { hashPassword } from '../../src/common/passwords';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin } from '../factories/accounts';
import {
  TestStation,
  aCharger,
  aStation,
  eventually,
  handshake,
  stationRow,
  uniqueChargePointId,
} from '../factories/chargers';

const aKey = () => randomBytes(20).toString('hex');

describe('charger credentials', () => {
  let t: TestApp;
  let admin: TestAccount;
  const open: ChargerSimulator[] = [];

  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100', OCPP_CALL_TIMEOUT_MS: '1500' });
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await t.close();
  });

  const ocppUrl = (s: TestStation) => `${t.wsUrl}/ocpp/${s.chargePointId}`;
  const admitted = async (s: TestStation, password: string) => {
    const res = await handshake(ocppUrl(s), { password });
    res.ws?.close();
    return res.status;
  };
  const connected = async (s: TestStation) => {
    const charger = await aCharger(t, s);
    open.push(charger);
    return charger;
  };
  const changeKey = (s: TestStation, value: string, key = 'AuthorizationKey') =>
    t.http
      .post(`/api/v1/stations/${s.id}/commands/change-configuration`)
      .set(admin.auth)
      .send({ key, value });

  describe('how passwords are stored', () => {
    it('keeps a random key under the keyed hash and a guessable password under argon2id', async () => {
      const strong = await aStation(t, { securityProfile: 1, password: aKey() });
      const weak = await aStation(t, { securityProfile: 1, password: 'aVeryLongSecret123' });
      expect((await stationRow(t, strong.id)).passwordHash).toMatch(/^hmac-sha256\$/);
      expect((await stationRow(t, weak.id)).passwordHash).toMatch(/^\$argon2id\$/);
      expect(await admitted(strong, strong.password!)).toBe(101);
      expect(await admitted(weak, weak.password!)).toBe(101);
      expect(await admitted(strong, `${strong.password}x`)).toBe(401);
      expect(await admitted(weak, 'aVeryLongSecret124')).toBe(401);
    });

    it('upgrades a legacy argon2 hash of a strong password to the keyed hash at its first login', async () => {
      const s = await aStation(t, { securityProfile: 1, password: aKey() });
      // A row as stored before the keyed hash existed.
      await t.app
        .get<Db>(DB)
        .update(stations)
        .set({ passwordHash: await hashPassword(s.password!) })
        .where(eq(stations.id, s.id));
      expect(await admitted(s, 'not-the-password-at-all')).toBe(401);
      expect((await stationRow(t, s.id)).passwordHash).toMatch(/^\$argon2id\$/);

      expect(await admitted(s, s.password!)).toBe(101);
      expect((await stationRow(t, s.id)).passwordHash).toMatch(/^hmac-sha256\$/);
      expect(await admitted(s, s.password!)).toBe(101);
      expect(await admitted(s, 'not-the-password-at-all')).toBe(401);
    });

    it('keeps a legacy argon2 hash of a guessable password as argon2', async () => {
      const s = await aStation(t, { securityProfile: 1, password: 'another-secret-00002' });
      expect(await admitted(s, s.password!)).toBe(101);
      expect((await stationRow(t, s.id)).passwordHash).toMatch(/^\$argon2id\$/);
    });

    it('admits 300 chargers with keyed passwords connecting at once, without an argon2 cost each', async () => {
      const tenantId = (await t.app.get(TenantsService).ensureDefaultTenant()).id;
      const pepper = t.config.chargerCredentialPepper;
      const fleet = Array.from({ length: 300 }, () => ({
        chargePointId: uniqueChargePointId(),
        password: aKey(),
      }));
      await t.app
        .get<Db>(DB)
        .insert(stations)
        .values(
          fleet.map((c) => ({
            tenantId,
            chargePointId: c.chargePointId,
            securityProfile: 1,
            passwordHash: keyedHash(pepper, c.password),
          })),
        );
      const started = Date.now();
      const statuses = await Promise.all(fleet.map((s) => admitted(s as TestStation, s.password)));
      const seconds = (Date.now() - started) / 1000;
      expect(statuses.filter((s) => s !== 101)).toEqual([]);
      // argon2id (64 MiB, t=3) costs 0.1-0.3 s of a core per check: 300 of them, 15 s or more on 2 cores.
      expect(seconds).toBeLessThan(15);
    });
  });

  describe('AuthorizationKey (OCPP 1.6 security whitepaper)', () => {
    it('switches to the key the charger accepted: it reconnects with it, the old one is refused, no log shows either', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const charger = await connected(s);
      const reconnected = new Promise<void>((resolve) => charger.once('open', () => resolve()));
      const next = aKey();

      const res = await changeKey(s, next).expect(200);
      expect(res.body).toEqual({ status: 'Accepted' });
      await reconnected;
      // The handshake with the new key retired the old one.
      await eventually(async () => expect((await stationRow(t, s.id)).previousPasswordHash).toBeNull());
      expect(charger.connected).toBe(true);
      await expect(charger.heartbeat()).resolves.toHaveProperty('currentTime');
      expect(await admitted(s, s.password!)).toBe(401);

      const log = await eventually(async () => {
        const r = await t.http.get(`/api/v1/stations/${s.id}/ocpp-log?limit=100`).set(admin.auth).expect(200);
        const change = r.body.items.find((m: { action: string }) => m.action === 'ChangeConfiguration');
        expect(change.frame[3]).toEqual({ key: 'AuthorizationKey', value: '***' });
        return JSON.stringify(r.body);
      });
      const audit = await t.http
        .get(`/api/v1/stations/${s.id}/commands/audit?action=ChangeConfiguration`)
        .set(admin.auth)
        .expect(200);
      expect(audit.body.items[0]).toMatchObject({
        request: { key: 'AuthorizationKey', value: '***' },
        reply: { status: 'Accepted' },
      });
      for (const text of [log, JSON.stringify(audit.body)]) {
        expect(text).not.toContain(next);
        expect(text).not.toContain(s.password!);
      }
    });

    it('keeps the old key valid until the charger connects with the new one', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const charger = await connected(s);
      // Applied at the next reboot: the charger stays on its socket and its old key.
      charger.respond('ChangeConfiguration', { status: 'RebootRequired' });
      const next = aKey();

      await changeKey(s, next).expect(200, { status: 'RebootRequired' });
      const again = await changeKey(s, aKey()).expect(409);
      expect(again.body.code).toBe('CONFLICT');
      expect(await admitted(s, s.password!)).toBe(101);

      expect(await admitted(s, next)).toBe(101);
      expect(await admitted(s, s.password!)).toBe(401);
      expect(await admitted(s, next)).toBe(101);
    });

    it('keeps the old key when the charger refuses the new one', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const charger = await connected(s);
      charger.respond('ChangeConfiguration', { status: 'Rejected' });
      const next = aKey();

      await changeKey(s, next).expect(200, { status: 'Rejected' });
      expect(await admitted(s, next)).toBe(401);
      expect(await admitted(s, s.password!)).toBe(101);
      expect((await stationRow(t, s.id)).previousPasswordHash).toBeNull();
    });

    it('refuses a key the stations API would refuse as a password, naming value, before sending it', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const charger = await connected(s);
      for (const value of ['too-short', 'x'.repeat(41), 'with a space in the key']) {
        const res = await changeKey(s, value, 'authorizationkey').expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['value']);
      }
      expect(charger.received.filter((c) => c.action === 'ChangeConfiguration')).toEqual([]);
      expect(await admitted(s, s.password!)).toBe(101);
    });

    it('answers 409 for an offline charger and leaves its password alone', async () => {
      const s = await aStation(t, { securityProfile: 1 });
      const res = await changeKey(s, aKey()).expect(409);
      expect(res.body.code).toBe('STATION_OFFLINE');
      expect(await admitted(s, s.password!)).toBe(101);
      expect((await stationRow(t, s.id)).previousPasswordHash).toBeNull();
    });
  });
});
