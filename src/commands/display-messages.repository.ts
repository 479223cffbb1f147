import { Injectable } from '@nestjs/common';
import { and, asc, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import type { DisplayMessage } from './display-messages';
import {
  type StationDisplayMessageRow,
  displayMessageIds,
  stationDisplayMessages,
} from './display-messages.tables';
import { finishRefresh, startRefresh } from './report-refreshes';

const t = stationDisplayMessages;
const ids = displayMessageIds;

const columnsOf = (m: DisplayMessage) => ({
  messageId: m.messageId,
  priority: m.priority,
  state: m.state,
  startDateTime: m.startDateTime,
  endDateTime: m.endDateTime,
  transactionId: m.transactionId,
  format: m.format,
  language: m.language,
  content: m.content,
  display: m.display,
});

/** The station_display_messages and display_message_ids tables, and the display messages' refreshes. */
@Injectable()
export class DisplayMessagesRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  listByStation(tenantId: string, stationId: string): Promise<StationDisplayMessageRow[]> {
    return this.db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.stationId, stationId)))
      .orderBy(asc(t.messageId));
  }

  async findByMessageId(
    tenantId: string,
    stationId: string,
    messageId: number,
  ): Promise<StationDisplayMessageRow | undefined> {
    const [row] = await this.db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.stationId, stationId), eq(t.messageId, messageId)));
    return row;
  }

  /**
   * A message id no other request got for the station: one past both the last one given out and the
   * highest stored (the station may have reported its own), taken in one statement so concurrent
   * requests, on one node or several, each get their own.
   */
  async nextMessageId(tenantId: string, stationId: string): Promise<number> {
    const storedTop = sql`(select coalesce(max(${t.messageId}), 0)::bigint from ${t} where ${t.tenantId} = ${tenantId} and ${t.stationId} = ${stationId})`;
    const [row] = await this.db
      .insert(ids)
      .values({ stationId, tenantId, lastId: sql`${storedTop} + 1` })
      .onConflictDoUpdate({
        target: ids.stationId,
        set: { lastId: sql`greatest(${ids.lastId}, ${storedTop}) + 1` },
        setWhere: eq(ids.tenantId, tenantId),
      })
      .returning({ lastId: ids.lastId });
    return row.lastId;
  }

  /**
   * Stores what SetDisplayMessage set: an Accepted message replaces the one of its id; a refused one
   * is kept with its status only when no message of that id is stored (the station still shows the
   * old one).
   */
  async recordSet(
    tenantId: string,
    stationId: string,
    m: DisplayMessage,
    status: string,
    at: Date,
  ): Promise<StationDisplayMessageRow | undefined> {
    const insert = this.db
      .insert(t)
      .values({ ...columnsOf(m), tenantId, stationId, status, createdAt: at, updatedAt: at });
    const [row] =
      status === 'Accepted'
        ? await insert
            .onConflictDoUpdate({
              target: [t.stationId, t.messageId],
              set: { ...columnsOf(m), status, reportRequestId: null, updatedAt: at },
              setWhere: eq(t.tenantId, tenantId),
            })
            .returning()
        : await insert.onConflictDoNothing().returning();
    return row ?? (await this.findByMessageId(tenantId, stationId, m.messageId));
  }

  async remove(tenantId: string, stationId: string, messageId: number): Promise<void> {
    await this.db
      .delete(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.stationId, stationId), eq(t.messageId, messageId)));
  }

  startRefresh(tenantId: string, stationId: string, requestId: number, at: Date): Promise<void> {
    return startRefresh(this.db, tenantId, stationId, 'display_messages', requestId, at);
  }

  /**
   * One part of a NotifyDisplayMessages: its messages are stored as Reported. Its last part, of a
   * refresh Kilowatt asked for, also removes what the report did not list and nothing set since
   * the request; `messages` null: the station has none (GetDisplayMessages answered Unknown).
   * One transaction, committed before the station is answered.
   */
  async recordReported(
    tenantId: string,
    stationId: string,
    requestId: number,
    messages: readonly DisplayMessage[],
    last: boolean,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      // The same id twice in a part counts once, the last wins.
      const unique = [...new Map(messages.map((m) => [m.messageId, m])).values()];
      if (unique.length > 0)
        await tx
          .insert(t)
          .values(
            unique.map((m) => ({
              ...columnsOf(m),
              tenantId,
              stationId,
              status: 'Reported',
              reportRequestId: requestId,
              createdAt: at,
              updatedAt: at,
            })),
          )
          .onConflictDoUpdate({
            target: [t.stationId, t.messageId],
            set: {
              priority: sql`excluded.priority`,
              state: sql`excluded.state`,
              startDateTime: sql`excluded.start_date_time`,
              endDateTime: sql`excluded.end_date_time`,
              transactionId: sql`excluded.transaction_id`,
              format: sql`excluded.format`,
              language: sql`excluded.language`,
              content: sql`excluded.content`,
              display: sql`excluded.display`,
              status: 'Reported',
              reportRequestId: requestId,
              updatedAt: at,
            },
            setWhere: eq(t.tenantId, tenantId),
          });
      if (!last) return;
      const requestedAt = await finishRefresh(tx, tenantId, stationId, 'display_messages', requestId);
      if (!requestedAt) return;
      await tx
        .delete(t)
        .where(
          and(
            eq(t.tenantId, tenantId),
            eq(t.stationId, stationId),
            or(isNull(t.reportRequestId), ne(t.reportRequestId, requestId)),
            lt(t.updatedAt, requestedAt),
          ),
        );
    });
  }
}
