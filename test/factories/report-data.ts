import type { TestApp } from '../app';
import { DB } from '../../src/database/database.module';
import type { Db } from '../../src/database/database';
import { chargingSessions, meterValues, type NewSessionRow } from '../../src/sessions/sessions.tables';
import { stationPresence } from '../../src/stations/stations.tables';
import { UsersService } from '../../src/users/users.service';
import { aSite, aStation, withConnectorStatus } from './stations';
import { aDefaultTenantAdmin, aTenantWithAdmin, aUser, anAccount, type TestAccount } from './accounts';

/**
 * Historical sessions, meter readings and presence intervals written as raw rows. This is the
 * one place tests write another module's tables directly: reports need months of history at
 * exact past instants, which no charger conversation over OCPP can produce in a test. Sites,
 * stations and connectors still go through their own module (HTTP and repository).
 */
const db = (t: TestApp) => t.app.get<symbol, Db>(DB);

export interface PastSession {
  tenantId: string;
  stationId: string;
  connectorId: number;
  userId?: string | null;
  status?: 'completed' | 'failed';
  startedAt?: string;
  stoppedAt?: string;
  requestedAt?: string;
  energyWh?: number;
  totalMinor?: number;
  currency?: string;
  /** Readings of `Power.Active.Import` in W: [iso time, watts]. */
  power?: [string, number][];
}

let tx = 0;

/** One finished (or failed) session in the past; energy as meterStop - meterStart from 100 000 Wh. */
export async function aPastSession(t: TestApp, s: PastSession): Promise<string> {
  const status = s.status ?? 'completed';
  const meterStartWh = 100_000;
  const row: NewSessionRow = {
    tenantId: s.tenantId,
    stationId: s.stationId,
    connectorId: s.connectorId,
    userId: s.userId ?? null,
    idTag: `REPORT${tx++}`,
    status,
    origin: 'local',
    requestedAt: new Date(s.requestedAt ?? s.startedAt ?? '2026-01-01T00:00:00Z'),
    startedAt: s.startedAt ? new Date(s.startedAt) : null,
    stoppedAt: s.stoppedAt ? new Date(s.stoppedAt) : null,
    meterStartWh: s.startedAt ? meterStartWh : null,
    meterStopWh: status === 'completed' ? meterStartWh + (s.energyWh ?? 0) : null,
    currency: s.currency ?? null,
    totalMinor: s.totalMinor ?? null,
    netMinor: s.totalMinor ?? null,
    taxMinor: s.totalMinor === undefined ? null : 0,
    settledAt: status === 'completed' && s.stoppedAt ? new Date(s.stoppedAt) : null,
    failureReason: status === 'failed' ? 'CHARGER_REJECTED' : null,
  };
  const [created] = await db(t).insert(chargingSessions).values(row).returning({ id: chargingSessions.id });
  if (s.power?.length) {
    await db(t)
      .insert(meterValues)
      .values(
        s.power.map(([at, w]) => ({
          sessionId: created.id,
          at: new Date(at),
          measurand: 'Power.Active.Import',
          context: 'Sample.Periodic',
          unit: 'W',
          value: w,
        })),
      );
  }
  return created.id;
}

/** A past connection interval of a station (what ChargerStateService records on connect/disconnect). */
export async function aPresenceInterval(
  t: TestApp,
  tenantId: string,
  stationId: string,
  connectedAt: string,
  disconnectedAt: string | null,
): Promise<void> {
  await db(t)
    .insert(stationPresence)
    .values({
      tenantId,
      stationId,
      connectedAt: new Date(connectedAt),
      disconnectedAt: disconnectedAt ? new Date(disconnectedAt) : null,
    });
}

/** A station on a site with `connectors` connectors known (as a StatusNotification would report them). */
export async function aReportStation(
  t: TestApp,
  admin: TestAccount,
  siteId: string | undefined,
  connectors: number,
): Promise<{ id: string; chargePointId: string }> {
  const station = await aStation(t, admin, siteId ? { siteId } : {});
  for (let c = 1; c <= connectors; c++) await withConnectorStatus(t, station.id, c, 'Available');
  return station;
}

/**
 * The known dataset of the report specs: three days around the spring-forward of Europe/Berlin
 * (Sunday 2026-03-29 lasts 23 hours; 02:00 CET jumps to 03:00 CEST at 01:00Z). The figures the
 * specs expect are computed by hand from these rows, in the comments next to each one.
 *
 * Default tenant: site "Berlin" (Europe/Berlin) with S1 (2 connectors) and S2 (1 connector);
 * users U1, U2, U3 and an RFID tag of no account. A second tenant has one session in the same
 * days that must never show up in the first tenant's figures.
 */
export async function aMarchDataset(t: TestApp) {
  const admin = await aDefaultTenantAdmin(t);
  const [u1, u2, u3] = [await aUser(t), await aUser(t), await aUser(t)];
  const tenantId = await tenantOf(t, u1);
  const site = await aSite(t, admin, { name: '=Berlin,Mitte', timeZone: 'Europe/Berlin' });
  const s1 = await aReportStation(t, admin, site.id, 2);
  const s2 = await aReportStation(t, admin, site.id, 1);
  const at = (x: Omit<PastSession, 'tenantId'>) => aPastSession(t, { tenantId, ...x });

  // #1 local Sun 00:30 CET (UTC: Sat 23:30), 60 min, 10 kWh, EUR 300; idle 00:10Z → 00:30Z = 1200 s.
  await at({
    stationId: s1.id,
    connectorId: 1,
    userId: u1.userId,
    startedAt: '2026-03-28T23:30:00Z',
    stoppedAt: '2026-03-29T00:30:00Z',
    energyWh: 10_000,
    totalMinor: 300,
    currency: 'EUR',
    power: [
      ['2026-03-28T23:40:00Z', 7000],
      ['2026-03-29T00:10:00Z', 7000],
      ['2026-03-29T00:20:00Z', 0],
    ],
  });
  // #2 local Sun 03:30 CEST (after the jump), 30 min, 4 kWh, EUR 120.
  await at({
    stationId: s1.id,
    connectorId: 2,
    userId: u1.userId,
    startedAt: '2026-03-29T01:30:00Z',
    stoppedAt: '2026-03-29T02:00:00Z',
    energyWh: 4000,
    totalMinor: 120,
    currency: 'EUR',
  });
  // #3 local Sun 23:30 CEST, 120 min across local midnight (counts on Sunday), 25 kWh, EUR 750;
  // idle 23:00Z → 23:30Z = 1800 s.
  await at({
    stationId: s2.id,
    connectorId: 1,
    userId: u2.userId,
    startedAt: '2026-03-29T21:30:00Z',
    stoppedAt: '2026-03-29T23:30:00Z',
    energyWh: 25_000,
    totalMinor: 750,
    currency: 'EUR',
    power: [['2026-03-29T23:00:00Z', 11000]],
  });
  // #4 local Mon 12:00, 250 min, 45 kWh, USD 900 (another currency), an RFID tag of no account.
  await at({
    stationId: s2.id,
    connectorId: 1,
    userId: null,
    startedAt: '2026-03-30T10:00:00Z',
    stoppedAt: '2026-03-30T14:10:00Z',
    energyWh: 45_000,
    totalMinor: 900,
    currency: 'USD',
  });
  // #5 failed on Mon 10:00 local without ever starting.
  await at({
    stationId: s1.id,
    connectorId: 1,
    userId: u1.userId,
    status: 'failed',
    requestedAt: '2026-03-30T08:00:00Z',
  });
  // #6 local Tue 08:00, 20 min, 7 kWh, EUR 210; idle 06:10Z → 06:20Z = 600 s.
  await at({
    stationId: s1.id,
    connectorId: 1,
    userId: u3.userId,
    startedAt: '2026-03-31T06:00:00Z',
    stoppedAt: '2026-03-31T06:20:00Z',
    energyWh: 7000,
    totalMinor: 210,
    currency: 'EUR',
    power: [['2026-03-31T06:10:00Z', 3000]],
  });
  // #7 before the range (local Sat 23:00): never counted.
  await at({
    stationId: s1.id,
    connectorId: 1,
    userId: u1.userId,
    startedAt: '2026-03-28T22:00:00Z',
    stoppedAt: '2026-03-28T22:30:00Z',
    energyWh: 99_999,
    totalMinor: 9999,
    currency: 'EUR',
  });

  // S1 online 20:00Z Sat → 10:00Z Sun (11 h inside the range); S2 from 12:00Z Sun past the range.
  await aPresenceInterval(t, tenantId, s1.id, '2026-03-28T20:00:00Z', '2026-03-29T10:00:00Z');
  await aPresenceInterval(t, tenantId, s2.id, '2026-03-29T12:00:00Z', '2026-04-05T00:00:00Z');

  const other = await aTenantWithAdmin(t);
  const otherUser = await anAccount(t, { tenantId: other.tenantId });
  const otherSite = await aSite(t, other.admin, { timeZone: 'Europe/Berlin' });
  const otherStation = await aReportStation(t, other.admin, otherSite.id, 1);
  await aPastSession(t, {
    tenantId: other.tenantId,
    stationId: otherStation.id,
    connectorId: 1,
    userId: otherUser.userId,
    startedAt: '2026-03-29T10:00:00Z',
    stoppedAt: '2026-03-29T11:00:00Z',
    energyWh: 50_000,
    totalMinor: 5000,
    currency: 'EUR',
    power: [['2026-03-29T10:30:00Z', 5000]],
  });
  await aPresenceInterval(t, other.tenantId, otherStation.id, '2026-03-28T00:00:00Z', '2026-04-02T00:00:00Z');

  return {
    tenantId,
    admin,
    site,
    s1,
    s2,
    u1,
    u2,
    u3,
    other: { ...other, user: otherUser, site: otherSite, station: otherStation },
  };
}

async function tenantOf(t: TestApp, who: TestAccount): Promise<string> {
  const user = await t.app.get(UsersService).findByLogin(who.username);
  if (!user) throw new Error(`no account ${who.username}`);
  return user.tenantId;
}
