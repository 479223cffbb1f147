import type { RPCClient } from 'ocpp-rpc';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser, anAccount } from '../factories/accounts';
import { aCharger201, aSimulatedStation201 } from '../factories/charger201';
import { aCharger, eventually } from '../factories/chargers';
import { liveEvents } from '../factories/live-events';
import { Receiver, aReceiver, aWebhook } from '../factories/webhooks';
import { CommandStation, aRegisteredStation } from './commands.helpers';

interface Monitor {
  monitorId: number | null;
  componentName: string;
  evseId: number | null;
  variableName: string;
  type: string;
  value: number;
  severity: number;
  status: string;
}

interface EventItem {
  eventId: number;
  timestamp: string;
  receivedAt: string;
  trigger: string;
  actualValue: string;
  component: { name: string; instance: string | null };
  variable: { name: string; instance: string | null };
  severity: number | null;
  variableMonitoringId: number | null;
}

const power = {
  value: 20000,
  type: 'UpperThreshold',
  severity: 4,
  component: { name: 'EVSE', evse: { id: 1 } },
  variable: { name: 'Power' },
};

describe('OCPP 2.0.1 variable monitoring: monitors set and cleared, NotifyEvent listed and published', () => {
  let t: TestApp;
  let admin: TestAccount;
  let tenantId: string;
  let receiver: Receiver;
  const open: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    t = await startApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50' });
    ({ tenantId, admin } = await aTenantWithAdmin(t));
    receiver = await aReceiver([200]);
  });
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

  const url = (s: CommandStation, path: string) => `/api/v1/stations/${s.id}/${path}`;
  const setMonitors = (s: CommandStation, setMonitoringData: object[], who = admin) =>
    t.http.put(url(s, 'monitors')).set(who.auth).send({ setMonitoringData });
  const monitors = (s: CommandStation, query = '', who = admin) =>
    t.http.get(url(s, `monitors${query}`)).set(who.auth);
  const clear = (s: CommandStation, id: number | string, who = admin) =>
    t.http.delete(url(s, `monitors/${id}`)).set(who.auth);
  const events = (s: CommandStation, query = '', who = admin) =>
    t.http.get(url(s, `monitoring-events${query}`)).set(who.auth);
  const refresh = (s: CommandStation, body?: object, who = admin) =>
    t.http.post(url(s, 'monitors/refresh')).set(who.auth).send(body);
  const reportParts = async (s: CommandStation) =>
    (
      await t.http
        .get(`/api/v1/stations/${s.id}/notifications?action=NotifyMonitoringReport`)
        .set(admin.auth)
        .expect(200)
    ).body.items as { payload: { requestId: number; seqNo: number; tbc?: boolean; monitor?: object[] } }[];
  const ids = async (s: CommandStation) =>
    ((await monitors(s).expect(200)).body.items as Monitor[]).map((m) => [m.monitorId, m.status]);
  // Kilowatt's clock moves on before a refresh: what was stored before it began is "before".
  const later = () => t.clock.advance(1000);

  it('sets monitors, stores each result with the station’s id, lists and filters them', async () => {
    const { station, sim } = await aStation();
    const res = await setMonitors(station, [
      power,
      { ...power, type: 'Delta', value: 1000, severity: 7 },
      { ...power, component: { name: 'NoSuchCtrlr' } },
      { ...power, variable: { name: 'NoSuchVariable' } },
      power,
    ]).expect(200);
    expect(
      res.body.setMonitoringResult.map((r: { id?: number; status: string }) => [r.id, r.status]),
    ).toEqual([
      [1, 'Accepted'],
      [2, 'Accepted'],
      [undefined, 'UnknownComponent'],
      [undefined, 'UnknownVariable'],
      [undefined, 'Duplicate'],
    ]);
    expect([...sim.displayMonitoring.monitors.keys()]).toEqual([1, 2]);

    const all = (await monitors(station).expect(200)).body.items as Monitor[];
    expect(all.map((m) => [m.monitorId, m.componentName, m.variableName, m.type, m.status])).toEqual([
      [1, 'EVSE', 'Power', 'UpperThreshold', 'Accepted'],
      [2, 'EVSE', 'Power', 'Delta', 'Accepted'],
      [null, 'NoSuchCtrlr', 'Power', 'UpperThreshold', 'UnknownComponent'],
      [null, 'EVSE', 'NoSuchVariable', 'UpperThreshold', 'UnknownVariable'],
      [null, 'EVSE', 'Power', 'UpperThreshold', 'Duplicate'],
    ]);
    expect(all[0]).toMatchObject({ evseId: 1, value: 20000, severity: 4, transaction: false });
    const filtered = await monitors(station, '?component=NoSuchCtrlr').expect(200);
    expect(filtered.body.items).toHaveLength(1);
    const paged = await monitors(station, '?variable=Power&limit=2').expect(200);
    expect(paged.body.items).toHaveLength(2);
    const next = await monitors(
      station,
      `?variable=Power&limit=2&cursor=${encodeURIComponent(paged.body.nextCursor)}`,
    ).expect(200);
    expect(next.body.items.map((m: Monitor) => m.status)).toEqual(['UnknownComponent', 'Duplicate']);

    // Replacing monitor 1 by its id keeps one row for it.
    await setMonitors(station, [{ ...power, id: 1, value: 15000 }]).expect(200);
    const replaced = (await monitors(station).expect(200)).body.items as Monitor[];
    expect(replaced.filter((m) => m.monitorId === 1)).toEqual([expect.objectContaining({ value: 15000 })]);
  });

  it('clears a monitor; 404 for one not stored; NotFound at the station removes it too', async () => {
    const { station, sim } = await aStation();
    await setMonitors(station, [power, { ...power, severity: 2 }]).expect(200);
    expect((await clear(station, 1).expect(200)).body).toEqual({ status: 'Accepted' });
    expect(sim.displayMonitoring.monitors.has(1)).toBe(false);
    expect((await clear(station, 1).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await clear(station, 'one').expect(400)).body.code).toBe('VALIDATION_FAILED');
    sim.displayMonitoring.monitors.delete(2);
    expect((await clear(station, 2).expect(200)).body).toEqual({ status: 'NotFound' });
    expect((await monitors(station).expect(200)).body.items).toEqual([]);
  });

  it('lists NotifyEvent items at once, with the monitor’s severity, and publishes Alerting and Delta ones', async () => {
    const { station, sim } = await aStation();
    await aWebhook(t, admin, { url: receiver.url, events: ['station.monitoring_event'] });
    const adminLive = await liveEvents(t.wsUrl, admin.token);
    const user = await anAccount(t, { tenantId });
    const userLive = await liveEvents(t.wsUrl, user.token);
    await setMonitors(station, [power]).expect(200);

    await expect(sim.displayMonitoring.fireMonitor(1, '21500')).resolves.toEqual({});
    // Committed before the station was answered.
    const listed = await events(station).expect(200);
    expect(listed.body).toEqual({
      items: [
        {
          id: expect.any(String),
          eventId: 1,
          timestamp: expect.any(String),
          receivedAt: expect.any(String),
          trigger: 'Alerting',
          actualValue: '21500',
          component: { name: 'EVSE', instance: null },
          variable: { name: 'Power', instance: null },
          evse: { id: 1, connectorId: null },
          severity: 4,
          cause: null,
          techCode: null,
          techInfo: null,
          cleared: null,
          transactionId: null,
          variableMonitoringId: 1,
          eventNotificationType: 'CustomMonitor',
        },
      ],
      nextCursor: null,
    });

    const [delivery] = await receiver.waitFor(1);
    expect(delivery.headers['x-kilowatt-event']).toBe('station.monitoring_event');
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'station.monitoring_event',
      tenantId,
      stationId: station.id,
      data: {
        stationId: station.id,
        chargePointId: station.chargePointId,
        eventId: 1,
        trigger: 'Alerting',
        actualValue: '21500',
        component: { name: 'EVSE', instance: null },
        variable: { name: 'Power', instance: null },
        evse: { id: 1, connectorId: null },
        severity: 4,
        variableMonitoringId: 1,
      },
    });
    await eventually(() =>
      expect(adminLive.events.some((e) => e.type === 'station.monitoring_event')).toBe(true),
    );

    // A periodic reading is listed, not published; a hard-wired one has no severity.
    await sim.displayMonitoring.notifyEvent([
      {
        trigger: 'Periodic',
        actualValue: '11000',
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'Power' },
      },
      {
        trigger: 'Alerting',
        actualValue: 'true',
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'Problem' },
        techCode: 'E42',
        techInfo: 'Lock motor stalled',
        cleared: false,
      },
    ]);
    const after = (await events(station).expect(200)).body.items as EventItem[];
    expect(after.map((e) => [e.trigger, e.component.name, e.severity])).toEqual([
      ['Alerting', 'Connector', null],
      ['Periodic', 'EVSE', null],
      ['Alerting', 'EVSE', 4],
    ]);
    await eventually(() =>
      expect(adminLive.events.filter((e) => e.type === 'station.monitoring_event')).toHaveLength(2),
    );
    expect(
      adminLive.events.filter((e) => e.type === 'station.monitoring_event').map((e) => e.data?.trigger),
    ).toEqual(['Alerting', 'Alerting']);
    // Users do not see a station's monitoring events.
    await sim.statusNotification(1, 'Available');
    await eventually(() =>
      expect(userLive.events.some((e) => e.type === 'station.status_changed')).toBe(true),
    );
    expect(userLive.events.filter((e) => e.type === 'station.monitoring_event')).toEqual([]);
    for (const s of [adminLive, userLive]) s.ws.close();
    // Still in the notifications list as sent.
    const notifications = await t.http
      .get(`/api/v1/stations/${station.id}/notifications?action=NotifyEvent`)
      .set(admin.auth)
      .expect(200);
    expect(notifications.body.items).toHaveLength(2);
  });

  it('filters events by component, variable and time received, newest first, with a cursor', async () => {
    const { station, sim } = await aStation();
    const item = (n: number, variable = 'Power') => ({
      trigger: 'Periodic' as const,
      actualValue: String(n),
      component: { name: 'EVSE', evse: { id: 1 } },
      variable: { name: variable },
      // The station's clock may say anything; it orders nothing.
      timestamp: '1970-01-01T00:00:00.000Z',
    });
    for (let i = 0; i < 3; i++) await sim.displayMonitoring.notifyEvent([item(i)]);
    t.clock.advance(1000);
    const between = new Date(t.clock.nowMs() - 500).toISOString();
    await sim.displayMonitoring.notifyEvent([item(3), item(4, 'AvailabilityState')]);

    const all = (await events(station).expect(200)).body.items as EventItem[];
    expect(all.map((e) => e.actualValue)).toEqual(['4', '3', '2', '1', '0']);
    expect(all[0].timestamp).toBe('1970-01-01T00:00:00.000Z');
    const late = (await events(station, `?from=${between}`).expect(200)).body.items as EventItem[];
    expect(late.map((e) => e.actualValue)).toEqual(['4', '3']);
    const early = (await events(station, `?to=${between}`).expect(200)).body.items as EventItem[];
    expect(early.map((e) => e.actualValue)).toEqual(['2', '1', '0']);
    const byVariable = (await events(station, '?variable=AvailabilityState').expect(200)).body.items;
    expect(byVariable.map((e: EventItem) => e.actualValue)).toEqual(['4']);
    expect((await events(station, '?component=Connector').expect(200)).body.items).toEqual([]);

    const seen: string[] = [];
    for (let cursor = ''; ;) {
      const res = await events(station, `?limit=2${cursor}`).expect(200);
      seen.push(...res.body.items.map((e: EventItem) => e.actualValue));
      if (!res.body.nextCursor) break;
      cursor = `&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
    expect(seen).toEqual(['4', '3', '2', '1', '0']);
    for (const q of ['?from=yesterday', '?limit=0', '?cursor=nonsense', `?component=${'x'.repeat(51)}`])
      expect((await events(station, q).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a NotifyEvent with numbers past 32 bits, storing nothing of it', async () => {
    const station = await aRegisteredStation(t, admin);
    const charger: RPCClient = await aCharger201(t, station);
    open.push({ close: () => charger.close({ force: true }) });
    const eventData = (eventId: number, evse = 1) => [
      {
        eventId,
        timestamp: new Date().toISOString(),
        trigger: 'Alerting',
        actualValue: 'x',
        eventNotificationType: 'HardWiredNotification',
        component: { name: 'EVSE', evse: { id: evse } },
        variable: { name: 'Problem' },
      },
    ];
    const notify = (data: object[]) =>
      charger.call('NotifyEvent', { generatedAt: new Date().toISOString(), seqNo: 0, eventData: data });
    await expect(notify(eventData(2 ** 31))).rejects.toMatchObject({
      rpcErrorCode: 'PropertyConstraintViolation',
    });
    await expect(notify(eventData(1, 2 ** 40))).rejects.toMatchObject({
      rpcErrorCode: 'PropertyConstraintViolation',
    });
    expect((await events(station).expect(200)).body.items).toEqual([]);
    await notify(eventData(1));
    expect((await events(station).expect(200)).body.items).toHaveLength(1);
  });

  it('answers 400 naming the bad fields of a monitor', async () => {
    const { station } = await aStation();
    const cases: [object[], string][] = [
      [[], 'setMonitoringData'],
      [[{ ...power, type: 'Sideways' }], 'type'],
      [[{ ...power, severity: 10 }], 'severity'],
      [[{ ...power, value: 'high' }], 'value'],
      [[{ ...power, component: {} }], 'name'],
      [[{ ...power, variable: { name: 'x'.repeat(51) } }], 'name'],
      [[{ ...power, id: -1 }], 'id'],
    ];
    for (const [data, field] of cases) {
      const res = await setMonitors(station, data).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });

  it('refreshes from the station: its own monitors come in, one cleared behind Kilowatt’s back goes', async () => {
    const { station, sim } = await aStation();
    await setMonitors(station, [
      power,
      { ...power, type: 'Delta', value: 500 },
      { ...power, component: { name: 'Nope' } },
    ]).expect(200);
    // The station had a preconfigured monitor Kilowatt never set, and lost monitor 1 on its own.
    const own = sim.displayMonitoring.addMonitor({
      component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
      variable: { name: 'AvailabilityState' },
      type: 'Delta',
      value: 0,
      severity: 3,
      transaction: true,
    });
    sim.displayMonitoring.monitors.delete(1);
    later();

    // No body: every monitor.
    const res = await refresh(station).expect(200);
    expect(res.body).toEqual({ status: 'Accepted', requestId: expect.any(Number) });
    await eventually(async () =>
      expect(await ids(station)).toEqual([
        [2, 'Reported'],
        [null, 'UnknownComponent'],
        [own, 'Reported'],
      ]),
    );
    const items = (await monitors(station).expect(200)).body.items as Monitor[];
    expect(items.find((m) => m.monitorId === own)).toMatchObject({
      componentName: 'Connector',
      evseId: 1,
      connectorId: 1,
      variableName: 'AvailabilityState',
      type: 'Delta',
      value: 0,
      severity: 3,
      transaction: true,
      status: 'Reported',
      statusInfo: null,
    });
    // The part is also in the notifications list, as sent, with Kilowatt's requestId.
    const parts = await reportParts(station);
    expect(parts.map((p) => [p.payload.requestId, p.payload.seqNo, p.payload.tbc])).toEqual([
      [res.body.requestId, 0, undefined],
    ]);

    // An event of the station's own monitor now carries its severity.
    await sim.displayMonitoring.fireMonitor(own, 'Faulted');
    const [event] = (await events(station).expect(200)).body.items as EventItem[];
    expect(event).toMatchObject({ variableMonitoringId: own, severity: 3, trigger: 'Delta' });
    // And Kilowatt can clear it like one it set.
    expect((await clear(station, own).expect(200)).body).toEqual({ status: 'Accepted' });
    expect(sim.displayMonitoring.monitors.has(own)).toBe(false);
  });

  it('takes a report of many monitors in parts, tbc on all but the last, grouped by variable', async () => {
    const { station, sim } = await aStation();
    sim.displayMonitoring.monitorsPerPart = 2;
    await setMonitors(station, [power]).expect(200);
    for (let i = 0; i < 6; i++)
      sim.displayMonitoring.addMonitor({
        id: 100 + i,
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: i % 2 ? 'Power' : 'AvailabilityState' },
        type: i % 2 ? 'LowerThreshold' : 'Periodic',
        value: 60 + i,
        severity: 8,
      });
    sim.displayMonitoring.monitors.delete(1);
    later();
    const { requestId } = (await refresh(station, {}).expect(200)).body;
    await eventually(async () =>
      expect(await ids(station)).toEqual([100, 101, 102, 103, 104, 105].map((id) => [id, 'Reported'])),
    );
    const parts = await reportParts(station);
    expect(parts.map((p) => [p.payload.requestId, p.payload.seqNo, p.payload.tbc ?? false])).toEqual([
      [requestId, 2, false],
      [requestId, 1, true],
      [requestId, 0, true],
    ]);
    // Each part groups its monitors by the variable they watch.
    expect(parts[2].payload.monitor).toEqual([
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'AvailabilityState' },
        variableMonitoring: [{ id: 100, transaction: false, value: 60, type: 'Periodic', severity: 8 }],
      },
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'Power' },
        variableMonitoring: [{ id: 101, transaction: false, value: 61, type: 'LowerThreshold', severity: 8 }],
      },
    ]);
  });

  it('empties the stored monitors with an id when the station answers EmptyResultSet', async () => {
    const { station, sim } = await aStation();
    await setMonitors(station, [
      power,
      { ...power, severity: 1 },
      { ...power, variable: { name: 'Nope' } },
    ]).expect(200);
    sim.displayMonitoring.monitors.clear();
    later();
    const res = await refresh(station).expect(200);
    expect(res.body).toEqual({ status: 'EmptyResultSet', requestId: expect.any(Number) });
    // Refused monitors had no id at the station: they stay, with their answer.
    expect(await ids(station)).toEqual([[null, 'UnknownVariable']]);
    expect(await reportParts(station)).toEqual([]);
  });

  it('passes filters on, and a filtered report removes nothing', async () => {
    const { station, sim } = await aStation();
    await setMonitors(station, [power, { ...power, type: 'Delta', value: 100 }]).expect(200);
    sim.displayMonitoring.monitors.delete(1);
    sim.displayMonitoring.monitors.get(2)!.value = 250;
    later();
    const res = await refresh(station, {
      monitoringCriteria: ['DeltaMonitoring'],
      componentVariable: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } }],
    }).expect(200);
    expect(res.body.status).toBe('Accepted');
    await eventually(async () =>
      expect(await ids(station)).toEqual([
        [1, 'Accepted'],
        [2, 'Reported'],
      ]),
    );
    const items = (await monitors(station).expect(200)).body.items as Monitor[];
    expect(items[1].value).toBe(250);
    // Nothing matches: EmptyResultSet, and still nothing is removed.
    const none = await refresh(station, { monitoringCriteria: ['PeriodicMonitoring'] }).expect(200);
    expect(none.body.status).toBe('EmptyResultSet');
    expect(await ids(station)).toEqual([
      [1, 'Accepted'],
      [2, 'Reported'],
    ]);
    const bad: [object, string][] = [
      [{ monitoringCriteria: [] }, 'monitoringCriteria'],
      [{ monitoringCriteria: ['Sometimes'] }, 'monitoringCriteria'],
      [{ componentVariable: [{ variable: { name: 'Power' } }] }, 'component'],
      [{ componentVariable: [{ component: { name: 'x'.repeat(51) } }] }, 'name'],
      [{ requestId: 5 }, 'requestId'],
    ];
    for (const [body, field] of bad) {
      const r = await refresh(station, body).expect(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(r.body)).toContain(field);
    }
  });

  it('keeps a monitor set while the report was on its way; an unsolicited report removes nothing', async () => {
    const station = await aRegisteredStation(t, admin);
    const charger: RPCClient = await aCharger201(t, station);
    open.push({ close: () => charger.close({ force: true }) });
    let nextId = 1;
    charger.handle('SetVariableMonitoring', async ({ params }) => ({
      setMonitoringResult: (params as { setMonitoringData: (typeof power)[] }).setMonitoringData.map((d) => ({
        id: nextId++,
        status: 'Accepted',
        type: d.type,
        severity: d.severity,
        component: d.component,
        variable: d.variable,
      })),
    }));
    let asked: number | undefined;
    charger.handle('GetMonitoringReport', async ({ params }) => {
      asked = (params as { requestId: number }).requestId;
      return { status: 'Accepted' };
    });
    const report = (requestId: number, monitorIds: number[], tbc?: boolean) =>
      charger.call('NotifyMonitoringReport', {
        requestId,
        seqNo: 0,
        generatedAt: new Date().toISOString(),
        ...(tbc !== undefined && { tbc }),
        ...(monitorIds.length > 0 && {
          monitor: [
            {
              component: { name: 'EVSE', evse: { id: 1 } },
              variable: { name: 'Power' },
              variableMonitoring: monitorIds.map((id) => ({
                id,
                transaction: false,
                value: 1000 * id,
                type: 'UpperThreshold',
                severity: 5,
              })),
            },
          ],
        }),
      });

    await setMonitors(station, [power, { ...power, severity: 6 }]).expect(200); // ids 1, 2
    // A report Kilowatt did not ask for only adds and updates.
    await report(77, [2, 9]);
    expect(await ids(station)).toEqual([
      [1, 'Accepted'],
      [2, 'Reported'],
      [9, 'Reported'],
    ]);
    later();
    await refresh(station).expect(200);
    expect(asked).toEqual(expect.any(Number));
    // Monitor 3 is set after the refresh began, before the report's last part lists 2 only.
    await setMonitors(station, [{ ...power, severity: 7 }]).expect(200);
    await report(asked!, [2], true);
    expect(await ids(station)).toEqual([
      [1, 'Accepted'],
      [2, 'Reported'],
      [9, 'Reported'],
      [3, 'Accepted'],
    ]);
    await report(asked!, [], false);
    expect(await ids(station)).toEqual([
      [2, 'Reported'],
      [3, 'Accepted'],
    ]);
    // The refresh is done: its requestId again removes nothing.
    await report(asked!, [], false);
    expect(await ids(station)).toEqual([
      [2, 'Reported'],
      [3, 'Accepted'],
    ]);
  });

  it('refuses a NotifyMonitoringReport with numbers past 32 bits or an unknown severity (CALLERROR), storing no monitor of it', async () => {
    const station = await aRegisteredStation(t, admin);
    const charger: RPCClient = await aCharger201(t, station);
    open.push({ close: () => charger.close({ force: true }) });
    const part = (o: { requestId?: number; id?: number; evse?: number; severity?: number; value?: number }) =>
      charger.call('NotifyMonitoringReport', {
        requestId: o.requestId ?? 1,
        seqNo: 0,
        generatedAt: new Date().toISOString(),
        monitor: [
          {
            component: { name: 'EVSE', evse: { id: o.evse ?? 1 } },
            variable: { name: 'Power' },
            variableMonitoring: [
              {
                id: o.id ?? 1,
                transaction: false,
                value: o.value ?? 1,
                type: 'Delta',
                severity: o.severity ?? 5,
              },
            ],
          },
        ],
      });
    const bad = [
      { id: 2 ** 31 },
      { id: -(2 ** 31) - 1 },
      { id: 2 ** 53 },
      { evse: 2 ** 40 },
      { evse: -1 },
      { requestId: 2 ** 40 },
      { severity: 10 },
      { severity: -1 },
      { severity: 2 ** 40 },
    ];
    for (const o of bad)
      await expect(part(o)).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    expect((await monitors(station).expect(200)).body.items).toEqual([]);
    // Each refused part is still in the notifications list, as sent.
    expect(await reportParts(station)).toHaveLength(bad.length);
    // A value any double holds is kept as sent; the connection is still good.
    await part({ id: 4, value: 1e300 });
    expect((await monitors(station).expect(200)).body.items).toEqual([
      expect.objectContaining({ monitorId: 4, value: 1e300, status: 'Reported' }),
    ]);
  });

  it('keeps monitors and events to the station’s tenant and its admins', async () => {
    const { station } = await aStation();
    const other = await aTenantWithAdmin(t);
    await monitors(station, '', other.admin).expect(404);
    await setMonitors(station, [power], other.admin).expect(404);
    await clear(station, 1, other.admin).expect(404);
    await events(station, '', other.admin).expect(404);
    await refresh(station, undefined, other.admin).expect(404);
    const bare = (stationId: string) =>
      t.http.post(`/api/v1/stations/${stationId}/monitors/refresh`).set(admin.auth);
    expect((await bare('not-a-uuid').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await bare('3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10').expect(404)).body.code).toBe('NOT_FOUND');
    const user = await aUser(t);
    await monitors(station, '', user).expect(403);
    await refresh(station, undefined, user).expect(403);
    await events(station, '', user).expect(403);
    expect((await monitors(station).expect(200)).body.items).toEqual([]);
  });

  it('answers 409 UNSUPPORTED_BY_PROTOCOL for a 1.6 station', async () => {
    const station16 = await aRegisteredStation(t, admin);
    const charger = await aCharger(t, station16);
    open.push(charger);
    for (const res of [
      await setMonitors(station16, [power]),
      await clear(station16, 1),
      await refresh(station16),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
    }
    expect((await monitors(station16).expect(200)).body.items).toEqual([]);
    expect((await events(station16).expect(200)).body.items).toEqual([]);
  });
});
