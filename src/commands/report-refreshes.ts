import { and, eq, lt } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../database/database';
import { type RefreshedReport, reportRefreshes } from './report-refreshes.tables';

const DAY_MS = 86_400_000;

const r = reportRefreshes;

/**
 * Records a refresh before its request is sent; also forgets the station's refreshes of that
 * report a day old or more, whose last part never came.
 */
export async function startRefresh(
  db: DbOrTx,
  tenantId: string,
  stationId: string,
  report: RefreshedReport,
  requestId: number,
  at: Date,
): Promise<void> {
  const ofStation = and(eq(r.tenantId, tenantId), eq(r.stationId, stationId), eq(r.report, report));
  await db.delete(r).where(and(ofStation, lt(r.requestedAt, new Date(at.getTime() - DAY_MS))));
  await db
    .insert(r)
    .values({ tenantId, stationId, report, requestId, requestedAt: at })
    .onConflictDoUpdate({ target: [r.stationId, r.report, r.requestId], set: { requestedAt: at } });
}

/**
 * At a report's last part, in its transaction: when the refresh was asked for, or undefined when
 * Kilowatt asked for no refresh of that id (an unsolicited or filtered report removes nothing).
 */
export async function finishRefresh(
  tx: Tx,
  tenantId: string,
  stationId: string,
  report: RefreshedReport,
  requestId: number,
): Promise<Date | undefined> {
  const [refresh] = await tx
    .delete(r)
    .where(
      and(
        eq(r.tenantId, tenantId),
        eq(r.stationId, stationId),
        eq(r.report, report),
        eq(r.requestId, requestId),
      ),
    )
    .returning({ requestedAt: r.requestedAt });
  return refresh?.requestedAt;
}
