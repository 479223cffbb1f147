import { aSimulatedStation201 } from '../factories/charger201';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser, anAccount, theRoot } from '../factories/accounts';
import { liveEvents } from '../factories/live-events';
import { eventually } from '../factories/chargers';
import { Receiver, aReceiver, aWebhook } from '../factories/webhooks';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { CommandStation, aRegisteredStation } from './commands.helpers';

interface SecurityEventItem {
  id: string;
  type: string;
  timestamp: string;
  receivedAt: string;
  techInfo: string | null;
}

describe('OCPP 2.0.1 security events: listed per station, published as station.security_event', () => {
  let t: TestApp;
  let admin: TestAccount;
  let tenantId: string;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50' });
    ({ tenantId, admin } = await aTenantWithAdmin(t));
    receiver = await aReceiver([200]);
  });
  const open: ChargingStation201[] = [];
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
    await receiver.close();
  });

  async function aStation(): Promise<{ station: CommandStation; sim: ChargingStation201 }> {
    const station = await aRegisteredStation(t, admin);
    const sim = await aSimulatedStation201(t, station.chargePointId, open);
    return { station, sim };
  }

  const list = (station: CommandStation, query = '', who: { auth: Record<string, string> } = admin) =>
    t.http.get(`/api/v1/stations/${station.id}/security-events${query}`).set(who.auth);

  it('lists a reported event and sends it to the tenant’s webhook and its admins’ live sockets', async () => {
    const { station, sim } = await aStation();
    await aWebhook(t, admin, { url: receiver.url, events: ['station.*'] });
    const adminLive = await liveEvents(t.wsUrl, admin.token);
    const user = await anAccount(t, { tenantId });
    const userLive = await liveEvents(t.wsUrl, user.token);
    const other = await aTenantWithAdmin(t);
    const otherLive = await liveEvents(t.wsUrl, other.admin.token);

    const timestamp = '2026-12-03T10:00:00.000Z';
    await expect(
      sim.securityEvent('FirmwareUpdated', { techInfo: 'v2.4.1 from fw.example.com', timestamp }),
    ).resolves.toEqual({});

    // Committed before the station was answered: listed at once.
    const res = await list(station).expect(200);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.any(String),
          type: 'FirmwareUpdated',
          timestamp,
          receivedAt: expect.any(String),
          techInfo: 'v2.4.1 from fw.example.com',
        },
      ],
      nextCursor: null,
    });
    const item = res.body.items[0] as SecurityEventItem;
    expect(Math.abs(Date.parse(item.receivedAt) - Date.now())).toBeLessThan(60_000);

    const data = {
      stationId: station.id,
      chargePointId: station.chargePointId,
      type: 'FirmwareUpdated',
      timestamp,
      techInfo: 'v2.4.1 from fw.example.com',
    };
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.headers['x-kilowatt-event']).toBe('station.security_event');
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'station.security_event',
      tenantId,
      stationId: station.id,
      data,
    });
    await eventually(() =>
      expect(adminLive.events.some((e) => e.type === 'station.security_event')).toBe(true),
    );
    expect(adminLive.events.find((e) => e.type === 'station.security_event')).toMatchObject({ data });

    // The station's status reaches the user; its security events do not, nor another tenant.
    await sim.statusNotification(1, 'Available');
    await eventually(() =>
      expect(userLive.events.some((e) => e.type === 'station.status_changed')).toBe(true),
    );
    expect(userLive.events.filter((e) => e.type === 'station.security_event')).toEqual([]);
    expect(otherLive.events.filter((e) => e.type === 'station.security_event')).toEqual([]);
    for (const s of [adminLive, userLive, otherLive]) s.ws.close();
  });

  it('orders by receipt whatever the station’s clock says, and stores the clock as reported', async () => {
    const { station, sim } = await aStation();
    await sim.securityEvent('SettingSystemTime', { timestamp: '2100-01-01T00:00:00.000Z' });
    await sim.securityEvent('StartupOfTheDevice', { timestamp: '1970-01-01T00:00:00.000Z' });
    await sim.securityEvent('ResetOrReboot', { timestamp: '2026-12-03T10:00:00.000Z' });
    const res = await list(station).expect(200);
    expect(res.body.items.map((i: SecurityEventItem) => [i.type, i.timestamp])).toEqual([
      ['ResetOrReboot', '2026-12-03T10:00:00.000Z'],
      ['StartupOfTheDevice', '1970-01-01T00:00:00.000Z'],
      ['SettingSystemTime', '2100-01-01T00:00:00.000Z'],
    ]);
    const received = res.body.items.map((i: SecurityEventItem) => Date.parse(i.receivedAt));
    expect([...received].sort((a, b) => b - a)).toEqual(received);
  });

  it('filters by type and time received, and pages with a cursor', async () => {
    const { station, sim } = await aStation();
    for (let i = 0; i < 3; i++) await sim.securityEvent('InvalidCsmsCertificate', { techInfo: `early ${i}` });
    // A second passes between the two batches, by the application's clock.
    t.clock.advance(1000);
    const between = new Date(t.clock.nowMs() - 500).toISOString();
    for (let i = 0; i < 4; i++)
      await sim.securityEvent('TamperDetectionActivated', { techInfo: `late ${i}` });
    // Other reports are not security events.
    await sim.call('NotifyEvent', {
      generatedAt: new Date().toISOString(),
      seqNo: 0,
      eventData: [
        {
          eventId: 1,
          timestamp: new Date().toISOString(),
          trigger: 'Alerting',
          actualValue: 'true',
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'Connector' },
          variable: { name: 'Problem' },
        },
      ],
    });

    const techInfos = async (query: string) =>
      ((await list(station, query).expect(200)).body.items as SecurityEventItem[]).map((i) => i.techInfo);
    expect(await techInfos('')).toHaveLength(7);
    expect(await techInfos('?type=InvalidCsmsCertificate')).toEqual(['early 2', 'early 1', 'early 0']);
    expect(await techInfos(`?from=${between}`)).toEqual(['late 3', 'late 2', 'late 1', 'late 0']);
    expect(await techInfos(`?to=${between}`)).toEqual(['early 2', 'early 1', 'early 0']);
    expect(await techInfos(`?type=TamperDetectionActivated&to=${between}`)).toEqual([]);
    expect(await techInfos('?type=NoSuchEvent')).toEqual([]);

    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const res = await list(station, `?limit=3&type=TamperDetectionActivated${cursor}`).expect(200);
      seen.push(...res.body.items.map((i: SecurityEventItem) => i.techInfo));
      if (!res.body.nextCursor) break;
      cursor = `&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
    expect(seen).toEqual(['late 3', 'late 2', 'late 1', 'late 0']);
  });

  it('keeps techInfo within the schema’s 255 characters and NUL out of the database', async () => {
    const { station, sim } = await aStation();
    await sim.securityEvent('MemoryExhaustion', { techInfo: 'x'.repeat(255) });
    await expect(sim.securityEvent('MemoryExhaustion', { techInfo: 'x'.repeat(256) })).rejects.toMatchObject({
      rpcErrorCode: expect.stringMatching(/Violation$/),
    });
    await sim.securityEvent('InvalidFirmwareSignature', { techInfo: 'pad\u0000ded' });
    const items = (await list(station).expect(200)).body.items as SecurityEventItem[];
    expect(items.map((i) => i.techInfo)).toEqual(['pad\uFFFDded', 'x'.repeat(255)]);
  });

  it('keeps the list to the station’s tenant and its admins', async () => {
    const { station, sim } = await aStation();
    await sim.securityEvent('FirmwareUpdated');
    const other = await aTenantWithAdmin(t);
    await list(station, '', other.admin).expect(404);
    await list(station, '', await aUser(t)).expect(403);
    await list(station, '', await anAccount(t, { tenantId })).expect(403);
    expect((await list(station, '', await theRoot(t)).expect(200)).body.items).toHaveLength(1);
    await t.http.get(`/api/v1/stations/${station.id}/security-events`).expect(401);
    await list(station, '?from=yesterday').expect(400);
    await list(station, `?type=${'A'.repeat(51)}`).expect(400);
    await list(station, '?cursor=forged').expect(400);
    await list(station, '?limit=0').expect(400);
  });
});
