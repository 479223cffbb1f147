import { startApp, type TestApp } from '../app';
import { aTenantWithAdmin, aUser } from '../factories/accounts';
import { aMarchDataset, aPastSession, aReportStation } from '../factories/report-data';

// Local days of Europe/Berlin: Sun 2026-03-29 (23 h, spring-forward), Mon 03-30, Tue 03-31.
const FROM = '2026-03-28T23:00:00Z';
const TO = '2026-03-31T22:00:00Z';
const PERIOD = 71 * 3600; // 255 600 s
const range = `from=${FROM}&to=${TO}`;

describe('GET /api/v1/reports/summary', () => {
  let t: TestApp;
  let d: Awaited<ReturnType<typeof aMarchDataset>>;
  const summary = (query: string, who = d.admin) =>
    t.http.get(`/api/v1/reports/summary?${range}&${query}`).set(who.auth);

  beforeAll(async () => {
    t = await startApp();
    d = await aMarchDataset(t);
  });
  afterAll(() => t.close());

  it('buckets by local day of the site, the 23-hour DST Sunday included', async () => {
    const res = await summary(`groupBy=day&siteId=${d.site.id}`).expect(200);
    expect(res.body).toMatchObject({ groupBy: 'day', timeZone: 'Europe/Berlin', attribution: 'start' });
    expect(res.body.rows).toEqual([
      {
        // #1 #2 #3: 10 + 4 + 25 kWh, EUR 300 + 120 + 750; 60 + 30 + 120 min = 12 600 s charging.
        key: '2026-03-29',
        label: '2026-03-29',
        sessions: 3,
        failedSessions: 0,
        energyWh: 39_000,
        revenue: [{ currency: 'EUR', amountMinor: 1170 }],
        avgDurationSeconds: 4200,
        avgEnergyWh: 13_000,
        utilisation: 0.0507, // 12 600 / (3 connectors × 82 800 s)
        uptime: 0.4565, // (S1 39 600 + S2 36 000) / (2 stations × 82 800 s)
      },
      {
        key: '2026-03-30',
        label: '2026-03-30',
        sessions: 1,
        failedSessions: 1,
        energyWh: 45_000,
        revenue: [{ currency: 'USD', amountMinor: 900 }],
        avgDurationSeconds: 15_000,
        avgEnergyWh: 45_000,
        utilisation: 0.0579, // 15 000 / (3 × 86 400)
        uptime: 0.5, // S2 only
      },
      {
        key: '2026-03-31',
        label: '2026-03-31',
        sessions: 1,
        failedSessions: 0,
        energyWh: 7000,
        revenue: [{ currency: 'EUR', amountMinor: 210 }],
        avgDurationSeconds: 1200,
        avgEnergyWh: 7000,
        utilisation: 0.0046, // 1200 / (3 × 86 400)
        uptime: 0.5,
      },
    ]);
    expect(res.body.totals).toEqual({
      sessions: 5,
      failedSessions: 1,
      energyWh: 91_000,
      revenue: [
        { currency: 'EUR', amountMinor: 1380 },
        { currency: 'USD', amountMinor: 900 },
      ],
      avgDurationSeconds: 5760, // 28 800 / 5
      avgEnergyWh: 18_200,
      utilisation: 0.0376, // 28 800 / (3 × 255 600)
      uptime: 0.4859, // 248 400 / (2 × 255 600)
    });
  });

  it('buckets in UTC without tz or site: the first session falls on Saturday', async () => {
    const res = await summary('groupBy=day').expect(200);
    expect(res.body.timeZone).toBe('UTC');
    expect(res.body.rows.map((r: { key: string; sessions: number }) => [r.key, r.sessions])).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 2],
      ['2026-03-30', 1],
      ['2026-03-31', 1],
    ]);
    expect(res.body.totals.energyWh).toBe(91_000);
  });

  it('puts a session in the local day it began in a zone three quarters of an hour off UTC', async () => {
    // Asia/Kathmandu is UTC+5:45: its days begin at 18:15Z. Sessions at 18:10Z (23:55 local) and
    // 18:20Z (00:05 local) fall on two days, even though they began in the same UTC hour.
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const station = await aReportStation(t, admin, undefined, 1);
    for (const [startedAt, stoppedAt] of [
      ['2026-03-30T18:10:00Z', '2026-03-30T18:15:00Z'],
      ['2026-03-30T18:20:00Z', '2026-03-30T18:40:00Z'],
    ])
      await aPastSession(t, { tenantId, stationId: station.id, connectorId: 1, startedAt, stoppedAt });
    const res = await t.http
      .get(`/api/v1/reports/summary?${range}&groupBy=day&tz=Asia/Kathmandu`)
      .set(admin.auth)
      .expect(200);
    const days = res.body.rows.map((r: { key: string; sessions: number }) => [r.key, r.sessions]);
    expect(days.filter(([, n]: [string, number]) => n > 0)).toEqual([
      ['2026-03-30', 1],
      ['2026-03-31', 1],
    ]);
  });

  it('groups by station with utilisation over its connectors and uptime from its presence', async () => {
    const res = await summary('groupBy=station&tz=Europe/Berlin').expect(200);
    const byKey = Object.fromEntries(res.body.rows.map((r: { key: string }) => [r.key, r]));
    expect(byKey[d.s1.id]).toEqual({
      key: d.s1.id,
      label: d.s1.chargePointId,
      sessions: 3,
      failedSessions: 1,
      energyWh: 21_000,
      revenue: [{ currency: 'EUR', amountMinor: 630 }],
      avgDurationSeconds: 2200,
      avgEnergyWh: 7000,
      utilisation: 0.0129, // 6600 / (2 × 255 600)
      uptime: 0.1549, // 39 600 / 255 600
    });
    expect(byKey[d.s2.id]).toMatchObject({
      sessions: 2,
      energyWh: 70_000,
      revenue: [
        { currency: 'EUR', amountMinor: 750 },
        { currency: 'USD', amountMinor: 900 },
      ],
      avgDurationSeconds: 11_100,
      utilisation: 0.0869, // 22 200 / 255 600
      uptime: 0.8169, // 208 800 / 255 600
    });
    expect(Object.keys(byKey).sort()).toEqual([d.s1.id, d.s2.id].sort());
  });

  it('groups by connector, site, user, week and month', async () => {
    const conn = (await summary('groupBy=connector').expect(200)).body.rows;
    expect(conn.map((r: { label: string; sessions: number }) => [r.label, r.sessions]).sort()).toEqual(
      [
        [`${d.s1.chargePointId}#1`, 2],
        [`${d.s1.chargePointId}#2`, 1],
        [`${d.s2.chargePointId}#1`, 2],
      ].sort(),
    );
    const site = (await summary('groupBy=site').expect(200)).body.rows;
    expect(site).toHaveLength(1);
    expect(site[0]).toMatchObject({ key: d.site.id, label: '=Berlin,Mitte', sessions: 5, energyWh: 91_000 });
    expect(site[0].utilisation).toBeCloseTo(28_800 / (3 * PERIOD), 4);

    const users = (await summary('groupBy=user').expect(200)).body.rows;
    const energyOf = (key: string) => users.find((r: { key: string }) => r.key === key)?.energyWh;
    expect(users).toHaveLength(4);
    expect([energyOf(d.u1.userId), energyOf(d.u2.userId), energyOf(d.u3.userId), energyOf('none')]).toEqual([
      14_000, 25_000, 7000, 45_000,
    ]);
    expect(users.find((r: { key: string }) => r.key === d.u1.userId)).toMatchObject({
      label: d.u1.username,
      failedSessions: 1,
      utilisation: null,
      uptime: null,
    });

    const weeks = (await summary('groupBy=week&tz=Europe/Berlin').expect(200)).body.rows;
    expect(
      weeks.map((r: { key: string; label: string; sessions: number }) => [r.key, r.label, r.sessions]),
    ).toEqual([
      ['2026-03-23', '2026-W13', 3],
      ['2026-03-30', '2026-W14', 2],
    ]);
    const months = (await summary('groupBy=month&tz=Europe/Berlin').expect(200)).body.rows;
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ key: '2026-03-01', label: '2026-03', sessions: 5, uptime: 0.4859 });
  });

  it("keeps the second tenant's sessions out, and shows that tenant only its own", async () => {
    const ours = (await summary('groupBy=site').expect(200)).body;
    expect(ours.rows.map((r: { key: string }) => r.key)).not.toContain(d.other.site.id);
    expect(ours.totals.sessions).toBe(5);
    const theirs = (await summary('groupBy=station', d.other.admin).expect(200)).body;
    expect(theirs.rows).toHaveLength(1);
    expect(theirs.totals).toMatchObject({
      sessions: 1,
      energyWh: 50_000,
      revenue: [{ currency: 'EUR', amountMinor: 5000 }],
    });
  });

  it("answers 404 for another tenant's site or station", async () => {
    const site = await summary(`siteId=${d.other.site.id}`).expect(404);
    expect(site.body.code).toBe('NOT_FOUND');
    await summary(`stationId=${d.other.station.id}`).expect(404);
  });

  it('exports CSV with a header, one revenue column per currency and a total row', async () => {
    const res = await summary('groupBy=site&format=csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="summary.csv"');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      'key,label,sessions,failedSessions,energyWh,revenueMinorEUR,revenueMinorUSD,avgDurationSeconds,avgEnergyWh,utilisation,uptime',
    );
    // The site name starts with = and holds a comma: neutralised and quoted.
    expect(lines[1]).toBe(`${d.site.id},"'=Berlin,Mitte",5,1,91000,1380,900,5760,18200,0.0376,0.4859`);
    expect(lines[2]).toBe('total,total,5,1,91000,1380,900,5760,18200,0.0376,0.4859');
    expect(lines[3]).toBe('');
    const viaAccept = await t.http
      .get(`/api/v1/reports/summary?${range}&groupBy=day`)
      .set(d.admin.auth)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(viaAccept.text.split('\r\n')).toHaveLength(1 + 4 + 1 + 1);
  });

  it('refuses anonymous callers with 401 and users with 403', async () => {
    expect((await t.http.get(`/api/v1/reports/summary?${range}`).expect(401)).body.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await summary('groupBy=day', await aUser(t)).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it.each([
    ['tz=Mars/Olympus', 'tz'],
    ['groupBy=year', 'groupBy'],
    [`siteId=not-a-uuid`, 'siteId'],
  ])('answers 400 VALIDATION_FAILED for %s', async (query, field) => {
    const res = await summary(query).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it.each([
    [`from=${TO}&to=${FROM}`, 'from must be before to'],
    ['from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'at most 1100 days'],
    ['from=yesterday&to=2026-01-01T00:00:00Z', 'from'],
    ['to=2026-01-01T00:00:00Z', 'from'],
  ])('answers 400 for the range %s', async (query, text) => {
    const res = await t.http.get(`/api/v1/reports/summary?${query}`).set(d.admin.auth).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toContain(text);
  });
});
