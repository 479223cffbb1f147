import { Injectable } from '@nestjs/common';
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { Cursor, Page, decodeCursor, toPage } from '../common/pagination';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { type ReportedVariable, type VariableSetResult, chunksOf, lastPerKey } from './device-model';
import { type StationVariableRow, stationVariables } from './device-model.tables';

/** Rows per INSERT: 20 parameters each stays far below PostgreSQL's 65 535 per statement. */
const ROWS_PER_STATEMENT = 500;

const t = stationVariables;
const KEY = [
  t.stationId,
  t.componentName,
  t.componentInstance,
  t.evseId,
  t.connectorId,
  t.variableName,
  t.variableInstance,
  t.attributeType,
];

/** The station_variables table: the last known device model of each 2.0.1 station. */
@Injectable()
export class DeviceModelRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  /** Upserts every reported attribute in one transaction; resolves once committed. */
  async upsertReported(
    tenantId: string,
    stationId: string,
    reported: readonly ReportedVariable[],
  ): Promise<void> {
    const rows = lastPerKey(reported);
    if (rows.length === 0) return;
    const updatedAt = new Date();
    await this.db.transaction(async (tx) => {
      for (const chunk of chunksOf(rows, ROWS_PER_STATEMENT))
        await tx
          .insert(t)
          .values(chunk.map((r) => ({ ...r, tenantId, stationId, updatedAt })))
          .onConflictDoUpdate({
            target: KEY,
            set: {
              value: sql`excluded.value`,
              mutability: sql`excluded.mutability`,
              persistent: sql`excluded.persistent`,
              constant: sql`excluded.constant`,
              characteristics: sql`excluded.characteristics`,
              updatedAt,
            },
          });
    });
  }

  /**
   * Records what SetVariables answered for attributes the station has; an Accepted value becomes
   * the attribute's value. A result for an attribute never reported is kept as a row too, so the
   * operator sees what was asked and answered.
   */
  async recordSetResults(
    tenantId: string,
    stationId: string,
    results: readonly VariableSetResult[],
  ): Promise<void> {
    const rows = lastPerKey(results);
    if (rows.length === 0) return;
    const at = new Date();
    await this.db.transaction(async (tx) => {
      for (const chunk of chunksOf(rows, ROWS_PER_STATEMENT))
        await tx
          .insert(t)
          .values(
            chunk.map(({ value, status, ...key }) => ({
              ...key,
              tenantId,
              stationId,
              value: status === 'Accepted' ? value : null,
              lastSetStatus: status,
              lastSetValue: value,
              lastSetAt: at,
              updatedAt: at,
            })),
          )
          .onConflictDoUpdate({
            target: KEY,
            set: {
              value: sql`case when excluded.last_set_status = 'Accepted' then excluded.value else ${t.value} end`,
              lastSetStatus: sql`excluded.last_set_status`,
              lastSetValue: sql`excluded.last_set_value`,
              lastSetAt: at,
              updatedAt: at,
            },
          });
    });
  }

  async hasAny(tenantId: string, stationId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.stationId, stationId)))
      .limit(1);
    return row !== undefined;
  }

  /**
   * Of the given stations, the ones with a device model stored (`known`) and, among them, the ones
   * whose TariffCostCtrlr reports Enabled[Cost] true (`costEnabled`).
   */
  async costDisplay(
    stationIds: readonly string[],
  ): Promise<{ known: Set<string>; costEnabled: Set<string> }> {
    if (stationIds.length === 0) return { known: new Set(), costEnabled: new Set() };
    const ids = [...new Set(stationIds)];
    const [known, enabled] = await Promise.all([
      this.db.selectDistinct({ stationId: t.stationId }).from(t).where(inArray(t.stationId, ids)),
      this.db
        .select({ stationId: t.stationId })
        .from(t)
        .where(
          and(
            inArray(t.stationId, ids),
            eq(t.componentName, 'TariffCostCtrlr'),
            isNull(t.componentInstance),
            isNull(t.evseId),
            eq(t.variableName, 'Enabled'),
            eq(t.variableInstance, 'Cost'),
            eq(t.attributeType, 'Actual'),
            sql`lower(${t.value}) = 'true'`,
          ),
        ),
    ]);
    return {
      known: new Set(known.map((r) => r.stationId)),
      costEnabled: new Set(enabled.map((r) => r.stationId)),
    };
  }

  /** In the order they were first stored; the filters match names exactly. */
  async listByStation(
    tenantId: string,
    stationId: string,
    page: { component?: string; variable?: string; limit: number; cursor?: string },
  ): Promise<Page<StationVariableRow>> {
    const after = decodeCursor(page.cursor, 'number', 'serial');
    const rows = await this.db
      .select()
      .from(t)
      .where(
        and(
          eq(t.tenantId, tenantId),
          eq(t.stationId, stationId),
          page.component === undefined ? undefined : eq(t.componentName, page.component),
          page.variable === undefined ? undefined : eq(t.variableName, page.variable),
          after ? gt(t.id, Number(after.id)) : undefined,
        ),
      )
      .orderBy(asc(t.id))
      .limit(page.limit + 1);
    return toPage(
      rows,
      page.limit,
      (r) => r,
      (r): Cursor => ({ k: String(r.id), id: String(r.id) }),
    );
  }
}
