import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { aConnectedCharger, aPricedStation, eventually, sessionOf } from '../factories/sessions';
import { Receiver, aReceiver, aWebhook } from '../factories/webhooks';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function samplesOf(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
      );
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

/** The value of the one sample with this name whose labels include `labels`. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

describe('metrics and probes an operator alerts on', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: { id: string; chargePointId: string };
  let charger: ChargerSimulator;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      // A failed delivery waits a minute before its next attempt: it stays in the queue meanwhile.
      WEBHOOK_RETRY_BASE_MS: '60000',
    });
    admin = await aDefaultTenantAdmin(t);
    station = await aPricedStation(t, admin);
    charger = await aConnectedCharger(t, admin, station);
    receiver = await aReceiver([500]);
    await aWebhook(t, admin, { url: receiver.url, events: ['session.*'] });
  });
  afterAll(async () => {
    await charger?.close();
    await t?.close();
    await receiver?.close();
  });

  const scrape = async () => samplesOf((await t.http.get('/metrics').expect(200)).text);

  it('counts OCPP messages by protocol, direction and action, and times calls to chargers by outcome', async () => {
    const driver = await aUser(t);
    const started = await t.http
      .post('/api/v1/sessions')
      .set(driver.auth)
      .send({ chargePointId: station.chargePointId, connectorId: 1 })
      .expect(201);
    await charger.waitForTransaction(1);
    await eventually(async () => expect((await sessionOf(t, driver, started.body.id)).status).toBe('active'));

    const samples = await scrape();
    const ocpp16 = { protocol: 'ocpp1.6' };
    expect(
      valueOf(samples, 'kilowatt_ocpp_messages_total', {
        ...ocpp16,
        direction: 'in',
        action: 'BootNotification',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'kilowatt_ocpp_messages_total', {
        ...ocpp16,
        direction: 'in',
        action: 'StartTransaction',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'kilowatt_ocpp_messages_total', {
        ...ocpp16,
        direction: 'out',
        action: 'RemoteStartTransaction',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'kilowatt_ocpp_outbound_call_duration_seconds_count', {
        ...ocpp16,
        action: 'RemoteStartTransaction',
        outcome: 'Accepted',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'kilowatt_sessions_open', { status: 'active' })).toBe(1);
  });

  it('labels an action the protocol does not define as unknown, so a charger cannot grow the label set', async () => {
    const unknown = { protocol: 'ocpp1.6', direction: 'in', action: 'unknown' };
    const before = valueOf(await scrape(), 'kilowatt_ocpp_messages_total', unknown) ?? 0;
    // Sent raw, past the simulator's own schema check; the gateway answers NotImplemented.
    charger.sendRaw('[2,"made-up-1","MadeUpAction",{}]');
    const after = await eventually(async () => {
      const samples = await scrape();
      expect(valueOf(samples, 'kilowatt_ocpp_messages_total', unknown)).toBe(before + 1);
      return samples;
    });
    expect(after.some((s) => s.labels.action === 'MadeUpAction')).toBe(false);
  });

  it('times database statements and shows the waiting webhook deliveries and the age of the oldest', async () => {
    await receiver.waitFor(1);
    await eventually(async () => {
      const samples = await scrape();
      expect(valueOf(samples, 'kilowatt_webhook_queue_depth')).toBeGreaterThanOrEqual(1);
      expect(valueOf(samples, 'kilowatt_webhook_queue_oldest_age_seconds')).toBeGreaterThan(0);
    });
    const samples = await scrape();
    expect(valueOf(samples, 'kilowatt_db_query_duration_seconds_count')).toBeGreaterThan(10);
    expect(valueOf(samples, 'kilowatt_db_query_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('answers liveness without touching the database', async () => {
    const res = await t.http.get('/api/v1/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
  });

  it('draws the Grafana dashboard from metrics the app exposes', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(__dirname, '../../docker/grafana/kilowatt-dashboard.json'), 'utf8'),
    ) as { panels: { title: string; targets: { expr: string }[] }[] };
    // Declared metrics, whether or not a labelled one has a sample yet.
    const text = (await t.http.get('/metrics').expect(200)).text;
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const used = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((target) =>
        [...target.expr.matchAll(/\bkilowatt_[a-z0-9_]+/g)].map((m) => ({
          panel: p.title,
          metric: m[0].replace(/_(bucket|count|sum)$/, ''),
        })),
      ),
    );
    expect(used.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    expect(used.filter((u) => !exposed.has(u.metric))).toEqual([]);
  });
});
