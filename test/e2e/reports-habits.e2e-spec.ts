import { startApp, type TestApp } from '../app';
import { aDefaultTenantAdmin, anApiKey, type TestAccount } from '../factories/accounts';
import { aMarchDataset, aReportStation } from '../factories/report-data';
import { aConnectedCharger, eventually } from '../factories/sessions';

const FROM = '2026-03-28T23:00:00Z';
const TO = '2026-03-31T22:00:00Z';
const range = `from=${FROM}&to=${TO}`;

type Bin = { bin: string; sessions: number };
const nonZero = (bins: Bin[]) => bins.filter((b) => b.sessions > 0).map((b) => [b.bin, b.sessions]);

describe('GET /api/v1/reports/habits', () => {
  let t: TestApp;
  let d: Awaited<ReturnType<typeof aMarchDataset>>;
  const habits = (query: string, who: TestAccount) =>
    t.http.get(`/api/v1/reports/habits?${range}&${query}`).set(who.auth);

  beforeAll(async () => {
    t = await startApp();
    d = await aMarchDataset(t);
  });
  afterAll(() => t.close());

  it("gives an admin the tenant's habits in the site's zone, across the DST switch", async () => {
    const res = await habits(`siteId=${d.site.id}`, d.admin).expect(200);
    const h = res.body;
    expect(h).toMatchObject({ timeZone: 'Europe/Berlin', userId: null, sessions: 5 });
    expect(h.startHours).toHaveLength(24);
    // #1 00:30 CET and #2 03:30 CEST on the 23-hour Sunday; #6 08:00, #4 12:00, #3 23:30.
    expect(nonZero(h.startHours)).toEqual([
      ['0', 1],
      ['3', 1],
      ['8', 1],
      ['12', 1],
      ['23', 1],
    ]);
    expect(h.weekdays.map((b: Bin & { label: string }) => [b.label, b.sessions])).toEqual([
      ['Mon', 1],
      ['Tue', 1],
      ['Wed', 0],
      ['Thu', 0],
      ['Fri', 0],
      ['Sat', 0],
      ['Sun', 3],
    ]);
    expect(h.durationMinutes.map((b: Bin) => [b.bin, b.sessions])).toEqual([
      ['0-15', 0],
      ['15-30', 1],
      ['30-60', 1],
      ['60-120', 1],
      ['120-240', 1],
      ['240+', 1],
    ]);
    expect(h.energyKwh.map((b: Bin) => [b.bin, b.sessions])).toEqual([
      ['0-5', 1],
      ['5-10', 1],
      ['10-20', 1],
      ['20-40', 1],
      ['40+', 1],
    ]);
    // U1 twice; U2 and U3 once; #4 belongs to no account. The failed #5 is no habit.
    expect(h.users).toEqual({ repeatUsers: 1, oneTimeUsers: 2, anonymousSessions: 1 });
    // Idle 1200 s (#1), 1800 s (#3), 600 s (#6).
    expect(h.idle).toEqual({ sessions: 3, medianSeconds: 1200, averageSeconds: 1200 });
  });

  it('reads the same sessions in UTC without tz or site', async () => {
    const h = (await habits('', d.admin).expect(200)).body;
    expect(h.timeZone).toBe('UTC');
    expect(nonZero(h.startHours)).toEqual([
      ['1', 1],
      ['6', 1],
      ['10', 1],
      ['21', 1],
      ['23', 1],
    ]);
    expect(nonZero(h.weekdays)).toEqual([
      ['1', 1],
      ['2', 1],
      ['6', 1],
      ['7', 2],
    ]);
  });

  it('reads start hours in a zone three quarters of an hour off UTC', async () => {
    // Asia/Kathmandu is UTC+5:45: #1 05:15 and #2 07:15 on Sunday, #3 03:15 and #4 15:45 on
    // Monday, #6 11:45 on Tuesday.
    const h = (await habits('tz=Asia/Kathmandu', d.admin).expect(200)).body;
    expect(nonZero(h.startHours)).toEqual([
      ['3', 1],
      ['5', 1],
      ['7', 1],
      ['11', 1],
      ['15', 1],
    ]);
    expect(nonZero(h.weekdays)).toEqual([
      ['1', 2],
      ['2', 1],
      ['7', 2],
    ]);
  });

  it('restricts a user to its own sessions', async () => {
    const h = (await habits('tz=Europe/Berlin', d.u1).expect(200)).body;
    expect(h).toMatchObject({ userId: d.u1.userId, sessions: 2 });
    expect(nonZero(h.startHours)).toEqual([
      ['0', 1],
      ['3', 1],
    ]);
    expect(h.users).toEqual({ repeatUsers: 1, oneTimeUsers: 0, anonymousSessions: 0 });
    expect(h.idle).toEqual({ sessions: 1, medianSeconds: 1200, averageSeconds: 1200 });
    await habits(`userId=${d.u1.userId}`, d.u1).expect(200);
  });

  it("refuses a user asking for another user's habits", async () => {
    expect((await habits(`userId=${d.u2.userId}`, d.u1).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it('lets an admin narrow to one user, and answers 404 for a user of another tenant', async () => {
    const h = (await habits(`userId=${d.u2.userId}&tz=Europe/Berlin`, d.admin).expect(200)).body;
    expect(h.sessions).toBe(1);
    expect(nonZero(h.startHours)).toEqual([['23', 1]]);
    const res = await habits(`userId=${d.other.user.userId}`, d.admin).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it("keeps each tenant's habits apart", async () => {
    const theirs = (await habits('', d.other.admin).expect(200)).body;
    expect(theirs.sessions).toBe(1);
    expect(nonZero(theirs.startHours)).toEqual([['10', 1]]);
    expect(theirs.users).toEqual({ repeatUsers: 0, oneTimeUsers: 1, anonymousSessions: 0 });
    const foreign = (await habits('', d.other.user).expect(200)).body;
    expect(foreign.sessions).toBe(1);
  });

  it('exports CSV in long form', async () => {
    const res = await t.http
      .get(`/api/v1/reports/habits?${range}&tz=Europe/Berlin`)
      .set(d.admin.auth)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="habits.csv"');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('section,bin,value');
    expect(lines).toContain('startHour,3,1');
    expect(lines).toContain('weekday,Sun,3');
    expect(lines).toContain('durationMinutes,240+,1');
    expect(lines).toContain('energyKwh,0-5,1');
    expect(lines).toContain('users,repeat,1');
    expect(lines).toContain('idle,medianSeconds,1200');
    expect(lines).toHaveLength(1 + 24 + 7 + 6 + 5 + 3 + 3 + 1);
  });

  it('refuses anonymous callers and API keys that have no account', async () => {
    expect((await t.http.get(`/api/v1/reports/habits?${range}`).expect(401)).body.code).toBe(
      'UNAUTHENTICATED',
    );
    const key = await anApiKey(t, d.admin, ['read']);
    const res = await t.http.get(`/api/v1/reports/habits?${range}`).set(key.header).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('answers 400 for a bad time zone or range', async () => {
    expect((await habits('tz=Not/AZone', d.admin).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const res = await t.http
      .get(`/api/v1/reports/habits?from=${TO}&to=${FROM}`)
      .set(d.admin.auth)
      .expect(400);
    expect(res.body.message).toContain('from must be before to');
  });
});

describe('station uptime from presence', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('records a connection from connect to disconnect and reports it as uptime', async () => {
    const admin = await aDefaultTenantAdmin(t);
    const station = await aReportStation(t, admin, undefined, 0);
    const from = new Date(t.clock.nowMs() - 10_000).toISOString();
    const charger = await aConnectedCharger(t, admin, station);
    // Connected for a second of the application's time.
    t.clock.advance(1000);
    await charger.close();
    await eventually(async () => {
      const s = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      if (s.body.online) throw new Error('still online');
    });
    const to = new Date(t.clock.nowMs() + 10_000).toISOString();
    const uptime = async () => {
      const res = await t.http
        .get(`/api/v1/reports/summary?from=${from}&to=${to}&groupBy=station&stationId=${station.id}`)
        .set(admin.auth)
        .expect(200);
      return res.body.rows[0].uptime as number;
    };
    const first = await uptime();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(0.5);
    // The second the clock moved while connected counts (uptime is rounded to 4 decimals).
    expect(first * (Date.parse(to) - Date.parse(from))).toBeGreaterThan(990);
    // An interval still open would end at the application's now, 1.5 s later.
    t.clock.advance(1500);
    // The interval is closed: it does not keep growing after the disconnect.
    expect(await uptime()).toBe(first);
  });
});
